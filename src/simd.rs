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
}

pub use imp::V8;

impl V8 {
    /// The sum of the eight lanes, in a fixed order.
    #[inline(always)]
    pub fn sum(self) -> f32 {
        let a = self.to_array();
        ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))
    }
}
