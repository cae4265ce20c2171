//! Eight f32 lanes with plain IEEE add and mul (never FMA): one AVX register natively,
//! two 128-bit registers in wasm, an array elsewhere. Every lane computes exactly what
//! scalar code would, so the bits are the same on every platform; only the speed differs.

#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
mod imp {
    use std::arch::x86_64::*;

    #[derive(Clone, Copy)]
    pub struct V8(__m256);

    impl V8 {
        #[inline(always)]
        pub fn splat(x: f32) -> V8 {
            // SAFETY: AVX is enabled at compile time (cfg above).
            unsafe { V8(_mm256_set1_ps(x)) }
        }
        /// # Safety
        /// `p .. p + 8` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> V8 {
            V8(_mm256_loadu_ps(p))
        }
        /// # Safety
        /// `p .. p + 8` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            _mm256_storeu_ps(p, self.0)
        }
        /// self + m * a, rounded twice (a multiply, then an add), as scalar code would.
        #[inline(always)]
        pub fn add_mul(self, m: V8, a: V8) -> V8 {
            unsafe { V8(_mm256_add_ps(self.0, _mm256_mul_ps(m.0, a.0))) }
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 8] {
            let mut out = [0.0f32; 8];
            unsafe { _mm256_storeu_ps(out.as_mut_ptr(), self.0) };
            out
        }
    }

    /// Eight rows of eight (`src`, rows `ss` apart) written as eight columns (`dst`, rows
    /// `ds` apart): unpack, shuffle and lane permutes, moving values only.
    ///
    /// # Safety
    /// The 8 × 8 values at `src` and `dst` (with their strides) must be readable and
    /// writable.
    #[inline(always)]
    pub unsafe fn transpose8(src: *const f32, ss: usize, dst: *mut f32, ds: usize) {
        let r: [__m256; 8] = std::array::from_fn(|k| _mm256_loadu_ps(src.add(k * ss)));
        let t0 = _mm256_unpacklo_ps(r[0], r[1]);
        let t1 = _mm256_unpackhi_ps(r[0], r[1]);
        let t2 = _mm256_unpacklo_ps(r[2], r[3]);
        let t3 = _mm256_unpackhi_ps(r[2], r[3]);
        let t4 = _mm256_unpacklo_ps(r[4], r[5]);
        let t5 = _mm256_unpackhi_ps(r[4], r[5]);
        let t6 = _mm256_unpacklo_ps(r[6], r[7]);
        let t7 = _mm256_unpackhi_ps(r[6], r[7]);
        let u0 = _mm256_shuffle_ps::<0x44>(t0, t2);
        let u1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
        let u2 = _mm256_shuffle_ps::<0x44>(t1, t3);
        let u3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
        let u4 = _mm256_shuffle_ps::<0x44>(t4, t6);
        let u5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
        let u6 = _mm256_shuffle_ps::<0x44>(t5, t7);
        let u7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
        let out = [
            _mm256_permute2f128_ps::<0x20>(u0, u4),
            _mm256_permute2f128_ps::<0x20>(u1, u5),
            _mm256_permute2f128_ps::<0x20>(u2, u6),
            _mm256_permute2f128_ps::<0x20>(u3, u7),
            _mm256_permute2f128_ps::<0x31>(u0, u4),
            _mm256_permute2f128_ps::<0x31>(u1, u5),
            _mm256_permute2f128_ps::<0x31>(u2, u6),
            _mm256_permute2f128_ps::<0x31>(u3, u7),
        ];
        for (k, v) in out.iter().enumerate() {
            _mm256_storeu_ps(dst.add(k * ds), *v);
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct V8(v128, v128);

    impl V8 {
        #[inline(always)]
        pub fn splat(x: f32) -> V8 {
            V8(f32x4_splat(x), f32x4_splat(x))
        }
        /// # Safety
        /// `p .. p + 8` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> V8 {
            V8(
                v128_load(p as *const v128),
                v128_load(p.add(4) as *const v128),
            )
        }
        /// # Safety
        /// `p .. p + 8` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0);
            v128_store(p.add(4) as *mut v128, self.1);
        }
        #[inline(always)]
        pub fn add_mul(self, m: V8, a: V8) -> V8 {
            V8(
                f32x4_add(self.0, f32x4_mul(m.0, a.0)),
                f32x4_add(self.1, f32x4_mul(m.1, a.1)),
            )
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 8] {
            let mut out = [0.0f32; 8];
            unsafe { self.store(out.as_mut_ptr()) };
            out
        }
    }

    /// As the AVX version: four 4 × 4 transposes by lane shuffles.
    ///
    /// # Safety
    /// The 8 × 8 values at `src` and `dst` (with their strides) must be readable and
    /// writable.
    #[inline(always)]
    pub unsafe fn transpose8(src: *const f32, ss: usize, dst: *mut f32, ds: usize) {
        for bi in [0, 4] {
            for bj in [0, 4] {
                let r: [v128; 4] =
                    std::array::from_fn(|k| v128_load(src.add((bi + k) * ss + bj) as *const v128));
                let t0 = i32x4_shuffle::<0, 4, 1, 5>(r[0], r[1]);
                let t1 = i32x4_shuffle::<2, 6, 3, 7>(r[0], r[1]);
                let t2 = i32x4_shuffle::<0, 4, 1, 5>(r[2], r[3]);
                let t3 = i32x4_shuffle::<2, 6, 3, 7>(r[2], r[3]);
                let out = [
                    i32x4_shuffle::<0, 1, 4, 5>(t0, t2),
                    i32x4_shuffle::<2, 3, 6, 7>(t0, t2),
                    i32x4_shuffle::<0, 1, 4, 5>(t1, t3),
                    i32x4_shuffle::<2, 3, 6, 7>(t1, t3),
                ];
                for (k, v) in out.iter().enumerate() {
                    v128_store(dst.add((bj + k) * ds + bi) as *mut v128, *v);
                }
            }
        }
    }
}

#[cfg(not(any(
    all(target_arch = "x86_64", target_feature = "avx"),
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct V8([f32; 8]);

    impl V8 {
        #[inline(always)]
        pub fn splat(x: f32) -> V8 {
            V8([x; 8])
        }
        /// # Safety
        /// `p .. p + 8` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> V8 {
            V8(std::ptr::read_unaligned(p as *const [f32; 8]))
        }
        /// # Safety
        /// `p .. p + 8` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            std::ptr::write_unaligned(p as *mut [f32; 8], self.0)
        }
        #[inline(always)]
        pub fn add_mul(self, m: V8, a: V8) -> V8 {
            let mut r = self.0;
            for l in 0..8 {
                r[l] += m.0[l] * a.0[l];
            }
            V8(r)
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 8] {
            self.0
        }
    }

    /// # Safety
    /// The 8 × 8 values at `src` and `dst` (with their strides) must be readable and
    /// writable.
    #[inline(always)]
    pub unsafe fn transpose8(src: *const f32, ss: usize, dst: *mut f32, ds: usize) {
        for i in 0..8 {
            for j in 0..8 {
                *dst.add(j * ds + i) = *src.add(i * ss + j);
            }
        }
    }
}

pub use imp::{transpose8, V8};

impl V8 {
    /// The sum of the eight lanes, in a fixed order.
    #[inline(always)]
    pub fn sum(self) -> f32 {
        let a = self.to_array();
        ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))
    }
}
