/* What one core of this machine does in the inner loop of a matrix product, with and
 * without fused multiply-adds: `make bench-tiles`.
 *
 * The engine's kernels keep R × V accumulators of 8 lanes and, per column, load V
 * vectors of inputs and broadcast R weights from memory (src/strokes/lanes.rs,
 * src/mdn/kernels.rs). Here the same tiles run on data in the first-level cache, so
 * nothing but the core limits them:
 *   - "mul+add": a multiply, then an add (two roundings), as the engine must for the
 *     same bits everywhere;
 *   - "fma": one fused multiply-add, as XLA uses;
 *   - "weights in registers": the mul+add tile without its broadcast loads;
 *   - "registers only": independent multiplies and adds with no load at all.
 * Compiled with -ffp-contract=off so that the compiler fuses nothing on its own.
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec a;
    clock_gettime(CLOCK_MONOTONIC, &a);
    return a.tv_sec + a.tv_nsec * 1e-9;
}

static float W[8192] __attribute__((aligned(64)));
static float X[8192] __attribute__((aligned(64)));
#define COLS 64
#define REPS 400000L

#define MA(a, m, x) _mm256_add_ps(a, _mm256_mul_ps(m, x))
#define FM(a, m, x) _mm256_fmadd_ps(m, x, a)

/* An R × V tile over COLS columns, repeated: GFLOP/s (a multiply and an add count 2). */
#define TILE(NAME, R, V, OP, LABEL)                                                     \
    static void NAME(void) {                                                            \
        __m256 acc[R][V];                                                               \
        for (int r = 0; r < R; r++)                                                     \
            for (int v = 0; v < V; v++) acc[r][v] = _mm256_setzero_ps();                \
        double s = now();                                                               \
        for (long i = 0; i < REPS; i++) {                                               \
            const float *w = W, *x = X;                                                 \
            for (int c = 0; c < COLS; c++) {                                            \
                __m256 xv[V];                                                           \
                for (int v = 0; v < V; v++) xv[v] = _mm256_load_ps(x + 8 * v);          \
                for (int r = 0; r < R; r++) {                                           \
                    __m256 m = _mm256_broadcast_ss(w + r);                              \
                    for (int v = 0; v < V; v++) acc[r][v] = OP(acc[r][v], m, xv[v]);    \
                }                                                                       \
                w += R;                                                                 \
                x += 8 * V;                                                             \
            }                                                                           \
        }                                                                               \
        s = now() - s;                                                                  \
        float t[8];                                                                     \
        __m256 q = _mm256_setzero_ps();                                                 \
        for (int r = 0; r < R; r++)                                                     \
            for (int v = 0; v < V; v++) q = _mm256_add_ps(q, acc[r][v]);                \
        _mm256_storeu_ps(t, q);                                                         \
        printf("%-34s %2d x %d: %5.1f GFLOP/s  (%g)\n", LABEL, R, V,                     \
               (double)REPS * COLS * R * V * 16 / s / 1e9, t[0]);                       \
    }

TILE(ma62, 6, 2, MA, "tile, mul+add")
TILE(ma34, 3, 4, MA, "tile, mul+add")
TILE(ma81, 8, 1, MA, "tile, mul+add")
TILE(fm62, 6, 2, FM, "tile, fma")
TILE(fm34, 3, 4, FM, "tile, fma")

/* The 6 × 2 mul+add tile with its six weights held in registers: no broadcast loads. */
static void weights_in_registers(void) {
    __m256 acc[6][2], m[6];
    for (int r = 0; r < 6; r++) {
        acc[r][0] = acc[r][1] = _mm256_setzero_ps();
        m[r] = _mm256_set1_ps(1e-6f * r);
    }
    double s = now();
    for (long i = 0; i < REPS; i++) {
        const float *x = X;
        for (int c = 0; c < COLS; c++) {
            __m256 x0 = _mm256_load_ps(x), x1 = _mm256_load_ps(x + 8);
            for (int r = 0; r < 6; r++) {
                acc[r][0] = MA(acc[r][0], m[r], x0);
                acc[r][1] = MA(acc[r][1], m[r], x1);
            }
            x += 16;
        }
    }
    s = now() - s;
    float t[8];
    __m256 q = _mm256_setzero_ps();
    for (int r = 0; r < 6; r++) q = _mm256_add_ps(q, _mm256_add_ps(acc[r][0], acc[r][1]));
    _mm256_storeu_ps(t, q);
    printf("%-34s  6 x 2: %5.1f GFLOP/s  (%g)\n", "tile, mul+add, weights in registers",
           (double)REPS * COLS * 12 * 16 / s / 1e9, t[0]);
}

/* Ten independent chains on registers only; the empty asm keeps the operands live. */
#define REG_ONLY(NAME, OP, LABEL)                                                       \
    static void NAME(void) {                                                            \
        __m256 a[10], x0 = _mm256_set1_ps(1e-7f), x1 = _mm256_set1_ps(2e-7f),           \
                      m = _mm256_set1_ps(0.5f);                                         \
        for (int k = 0; k < 10; k++) a[k] = _mm256_setzero_ps();                        \
        long iters = 100000000L;                                                        \
        double s = now();                                                               \
        for (long i = 0; i < iters; i++) {                                              \
            __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(m));                         \
            a[0] = OP(a[0], x0, m); a[1] = OP(a[1], x1, m); a[2] = OP(a[2], x0, x1);    \
            a[3] = OP(a[3], x1, x1); a[4] = OP(a[4], x0, x0); a[5] = OP(a[5], m, m);    \
            a[6] = OP(a[6], x0, m); a[7] = OP(a[7], x1, m); a[8] = OP(a[8], x1, x0);    \
            a[9] = OP(a[9], m, x0);                                                     \
        }                                                                               \
        s = now() - s;                                                                  \
        float t[8];                                                                     \
        __m256 q = _mm256_setzero_ps();                                                 \
        for (int k = 0; k < 10; k++) q = _mm256_add_ps(q, a[k]);                        \
        _mm256_storeu_ps(t, q);                                                         \
        printf("%-42s: %5.1f GFLOP/s  (%g)\n", LABEL, iters * 10 * 16.0 / s / 1e9, t[0]); \
    }

REG_ONLY(reg_ma, MA, "registers only, mul+add")
REG_ONLY(reg_fm, FM, "registers only, fma")

int main(void) {
    for (int i = 0; i < 8192; i++) {
        W[i] = 1e-6f * (i % 7);
        X[i] = 1e-6f * (i % 5);
    }
    ma62();
    ma34();
    ma81();
    weights_in_registers();
    fm62();
    fm34();
    reg_ma();
    reg_fm();
    return 0;
}
