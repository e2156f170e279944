// Optional native accelerator for the command line and tests (Node-API, C99).
//
// Exposes row-major float32 GEMM/GEMV and float64 singular values to core's host matrix path.
// BLAS/LAPACK are found at run time with dlopen (OpenBLAS first), so building needs only a C
// compiler and Node's headers; without a BLAS it falls back to a plain C kernel (no LAPACK:
// singular values then come from core's TypeScript routine). Built by native/build.mjs.

#define NAPI_VERSION 8
#include <node_api.h>
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdint.h>

enum { RowMajor = 101 };
enum { NoTrans = 111, Trans = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*sgemv_fn)(int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*dgesdd_fn)(const char *, const int *, const int *, double *, const int *, double *, double *, const int *,
                          double *, const int *, double *, const int *, int *, int *);
typedef void (*dsyrk_fn)(int, int, int, int, int, double, const double *, int, double, double *, int);
typedef void (*dsyevd_fn)(const char *, const char *, const int *, double *, const int *, double *, double *, const int *, int *,
                          const int *, int *);
typedef void (*dgeqrf_fn)(const int *, const int *, double *, const int *, double *, double *, const int *, int *);
typedef void (*dorgqr_fn)(const int *, const int *, const int *, double *, const int *, const double *, double *, const int *, int *);
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);
typedef char *(*get_config_fn)(void);

static sgemm_fn p_sgemm;
static sgemv_fn p_sgemv;
static dgesdd_fn p_dgesdd;
static dsyrk_fn p_dsyrk;
static dsyevd_fn p_dsyevd;
static dgeqrf_fn p_dgeqrf;
static dorgqr_fn p_dorgqr;
static set_threads_fn p_set_threads;
static get_threads_fn p_get_threads;
static get_config_fn p_get_config;
static char lib_name[256] = "builtin";

// OpenBLAS, else the builtin kernel: Debian's reference libblas.so.3 (pulled in by other
// packages) runs the matrix path 4-5x slower than the builtin kernel and has no LAPACK worth
// calling, so it (or any other library) is used only when DFL_BLAS_LIB names it explicitly.
static const char *const openblas_names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
enum { OPENBLAS_NAMES = 3 };

// OpenBLAS 0.3.21 (Debian 12's) takes Intel CPU models it does not know for a Prescott and runs
// its SSE3 kernels there: 3x slower at n = 64 on an AVX-512 Emerald Rapids. On the server models
// it does not know (Sapphire, Emerald and Granite Rapids), unless the user named a core, it is
// loaded with OPENBLAS_CORETYPE set, for its load only, to the kernels its own fallback by CPU
// features picks (Cooperlake, SkylakeX or Haswell). Set before the library loads: OpenBLAS reads
// it once, in its constructor, before it starts its threads.
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
static const char *openblas_core_for_this_cpu(void) {
  if (getenv("OPENBLAS_CORETYPE")) return NULL;
  unsigned a, b, c, d;
  if (!__get_cpuid(0, &a, &b, &c, &d) || b != 0x756e6547 /* "Genu"ineIntel */ || !__get_cpuid(1, &a, &b, &c, &d)) return NULL;
  const unsigned family = (a >> 8) & 0xf, model = ((a >> 4) & 0xf) | (((a >> 16) & 0xf) << 4);
  if (family != 6 || (model != 0x8f && model != 0xcf && model != 0xad && model != 0xae)) return NULL;
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2")) return NULL;
  return __builtin_cpu_supports("avx512bf16") ? "Cooperlake"
       : __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") ? "SkylakeX"
       : "Haswell";
}
#else
static const char *openblas_core_for_this_cpu(void) { return NULL; }
#endif

static void *open_blas_library(const char *name) {
  const char *core = strstr(name, "openblas") ? openblas_core_for_this_cpu() : NULL;
  if (core) setenv("OPENBLAS_CORETYPE", core, 0);
  void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (core) unsetenv("OPENBLAS_CORETYPE"); // the user's environment as it was
  return h;
}

static int try_blas(const char *name) {
  void *h = open_blas_library(name);
  if (!h) return 0;
  sgemm_fn g = (sgemm_fn)dlsym(h, "cblas_sgemm");
  sgemv_fn v = (sgemv_fn)dlsym(h, "cblas_sgemv");
  if (!g || !v) { dlclose(h); return 0; }
  p_sgemm = g;
  p_sgemv = v;
  p_dgesdd = (dgesdd_fn)dlsym(h, "dgesdd_");
  p_dsyrk = (dsyrk_fn)dlsym(h, "cblas_dsyrk");
  p_dsyevd = (dsyevd_fn)dlsym(h, "dsyevd_");
  p_dgeqrf = (dgeqrf_fn)dlsym(h, "dgeqrf_");
  p_dorgqr = (dorgqr_fn)dlsym(h, "dorgqr_");
  p_set_threads = (set_threads_fn)dlsym(h, "openblas_set_num_threads");
  p_get_threads = (get_threads_fn)dlsym(h, "openblas_get_num_threads");
  p_get_config = (get_config_fn)dlsym(h, "openblas_get_config");
  snprintf(lib_name, sizeof lib_name, "%s", name);
  return 1;
}

static void load_blas(void) {
  const char *env = getenv("DFL_BLAS_LIB");
  if (env && strcmp(env, "builtin") == 0) return; // force the plain C kernel (tests)
  if (env && env[0]) { try_blas(env); return; }   // exactly what was asked for, or the builtin kernel
  for (int i = 0; i < OPENBLAS_NAMES; i++)
    if (try_blas(openblas_names[i])) return;
}

// ---- builtin fallback kernels (row-major; inner loops vectorize with -O3) ----

static void builtin_sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, const float *B, float beta, float *C) {
  float *At = NULL, *Bt = NULL;
  if (ta) { At = malloc(sizeof(float) * (size_t)M * K); for (int k = 0; k < K; k++) for (int i = 0; i < M; i++) At[(size_t)i * K + k] = A[(size_t)k * M + i]; A = At; }
  if (tb) { Bt = malloc(sizeof(float) * (size_t)K * N); for (int j = 0; j < N; j++) for (int k = 0; k < K; k++) Bt[(size_t)k * N + j] = B[(size_t)j * K + k]; B = Bt; }
  float *row = malloc(sizeof(float) * (size_t)N);
  for (int i = 0; i < M; i++) {
    float *restrict r = row;
    for (int j = 0; j < N; j++) r[j] = 0.0f;
    for (int k = 0; k < K; k++) {
      const float a = A[(size_t)i * K + k];
      const float *restrict b = B + (size_t)k * N;
      for (int j = 0; j < N; j++) r[j] += a * b[j];
    }
    float *restrict c = C + (size_t)i * N;
    if (beta == 0.0f) for (int j = 0; j < N; j++) c[j] = alpha * r[j];
    else for (int j = 0; j < N; j++) c[j] = alpha * r[j] + beta * c[j];
  }
  free(row); free(At); free(Bt);
}

static void builtin_sgemv(int trans, int M, int N, float alpha, const float *A, const float *x, float beta, float *y) {
  if (!trans) {
    for (int i = 0; i < M; i++) {
      const float *restrict a = A + (size_t)i * N;
      double s = 0;
      for (int j = 0; j < N; j++) s += a[j] * x[j];
      y[i] = alpha * (float)s + (beta == 0.0f ? 0.0f : beta * y[i]);
    }
  } else {
    float *acc = calloc((size_t)N, sizeof(float));
    for (int i = 0; i < M; i++) {
      const float *restrict a = A + (size_t)i * N;
      const float xi = x[i];
      for (int j = 0; j < N; j++) acc[j] += xi * a[j];
    }
    for (int j = 0; j < N; j++) y[j] = alpha * acc[j] + (beta == 0.0f ? 0.0f : beta * y[j]);
    free(acc);
  }
}

// ---- Node-API glue ----

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "dfl_native: N-API call failed: " #call); return NULL; } } while (0)

static int get_f32(napi_env env, napi_value v, float **out, size_t *len) {
  napi_typedarray_type t; size_t n; void *data; napi_value ab; size_t off;
  if (napi_get_typedarray_info(env, v, &t, &n, &data, &ab, &off) != napi_ok || t != napi_float32_array) return 0;
  *out = (float *)data; *len = n; return 1;
}
static int get_f64(napi_env env, napi_value v, double **out, size_t *len) {
  napi_typedarray_type t; size_t n; void *data; napi_value ab; size_t off;
  if (napi_get_typedarray_info(env, v, &t, &n, &data, &ab, &off) != napi_ok || t != napi_float64_array) return 0;
  *out = (double *)data; *len = n; return 1;
}
static int get_i(napi_env env, napi_value v) { int32_t x = 0; napi_get_value_int32(env, v, &x); return x; }
static double get_d(napi_env env, napi_value v) { double x = 0; napi_get_value_double(env, v, &x); return x; }
static int get_b(napi_env env, napi_value v) { bool x = false; napi_get_value_bool(env, v, &x); return x; }

// C = alpha·op(A)·op(B) + beta·C, row-major: OpenBLAS where it was found, else the builtin kernel.
static void gemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, const float *B, float beta, float *C) {
  if (p_sgemm) p_sgemm(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, M, N, K, alpha, A, ta ? M : K, B, tb ? K : N, beta, C, N);
  else builtin_sgemm(ta, tb, M, N, K, alpha, A, B, beta, C);
}

// sgemm(transA, transB, M, N, K, alpha, A, B, beta, C): C = alpha·op(A)·op(B) + beta·C, row-major.
static napi_value js_sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 10; napi_value a[10];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 10) { napi_throw_type_error(env, NULL, "sgemm: 10 arguments"); return NULL; }
  int ta = get_b(env, a[0]), tb = get_b(env, a[1]);
  int M = get_i(env, a[2]), N = get_i(env, a[3]), K = get_i(env, a[4]);
  float alpha = (float)get_d(env, a[5]), beta = (float)get_d(env, a[8]);
  float *A, *B, *C; size_t la, lb, lc;
  if (!get_f32(env, a[6], &A, &la) || !get_f32(env, a[7], &B, &lb) || !get_f32(env, a[9], &C, &lc) ||
      M < 0 || N < 0 || K < 0 || la < (size_t)M * K || lb < (size_t)K * N || lc < (size_t)M * N) {
    napi_throw_type_error(env, NULL, "sgemm: bad shapes or arrays (Float32Array expected)"); return NULL;
  }
  if (M == 0 || N == 0) return NULL;
  gemm(ta, tb, M, N, K, alpha, A, B, beta, C);
  return NULL;
}

// The gradient step of core/engine/blasPath.ts (BlasFactorization.advance), `count` times, for the
// estimation problem (mask NULL) and completion: the same GEMM calls with the same arguments, and
// the elementwise parts in double rounded to float as JavaScript does them on Float32Arrays (one
// IEEE operation at a time; no contraction into an FMA), so the factors come out bit for bit the
// same; in JavaScript those loops took 4 ns an element, as long as the step's six GEMMs at n = 64.
__attribute__((optimize("fp-contract=off")))
static void factor_advance(float **F, float **P, int depth, const float *hat, const float *mask, float *b, float *b2, int n, double eta, int count, int prefix_ready) {
  const size_t nn = (size_t)n * n;
  const float alpha = (float)(-eta);
  for (int k = 0; k < count; k++) {
    // The prefix products of the factors as they are (the caller's, when it computed them since the last step).
    if (k > 0 || !prefix_ready)
      for (int j = 1; j < depth; j++) gemm(0, 0, n, n, n, 1.0f, F[j], P[j - 1], 0.0f, P[j]);
    const float *w = P[depth - 1];
    if (mask) for (size_t i = 0; i < nn; i++) b[i] = (float)((double)mask[i] * ((double)w[i] - (double)hat[i]));
    else for (size_t i = 0; i < nn; i++) b[i] = (float)((double)w[i] - (double)hat[i]);
    for (int j = depth - 1; j >= 1; j--) {
      gemm(1, 0, n, n, n, 1.0f, F[j], b, 0.0f, b2);
      gemm(0, 1, n, n, n, alpha, b, P[j - 1], 1.0f, F[j]);
      float *t = b; b = b2; b2 = t;
    }
    float *w0 = F[0];
    for (size_t i = 0; i < nn; i++) {
      const double step = eta * (double)b[i];
      w0[i] = (float)((double)w0[i] - step);
    }
  }
}

#define MAX_FACTORS 64

// factorAdvance(factors: Float32Array[], prefix: Float32Array[] (prefix[0] is factors[0]), hat, mask | null, b, b2, n, eta, count, prefixReady)
static napi_value js_factor_advance(napi_env env, napi_callback_info info) {
  size_t argc = 10; napi_value a[10];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 10) { napi_throw_type_error(env, NULL, "factorAdvance: 10 arguments"); return NULL; }
  uint32_t depth = 0, prefixes = 0;
  bool isArray = false, isPrefixArray = false;
  napi_is_array(env, a[0], &isArray);
  napi_is_array(env, a[1], &isPrefixArray);
  if (isArray) napi_get_array_length(env, a[0], &depth);
  if (isPrefixArray) napi_get_array_length(env, a[1], &prefixes);
  const int n = get_i(env, a[6]);
  const double eta = get_d(env, a[7]);
  const int count = get_i(env, a[8]);
  const size_t nn = (size_t)(n > 0 ? n : 0) * (size_t)(n > 0 ? n : 0);
  float *F[MAX_FACTORS], *P[MAX_FACTORS];
  int ok = isArray && isPrefixArray && depth >= 1 && depth <= MAX_FACTORS && prefixes == depth && n > 0 && count >= 0;
  for (uint32_t j = 0; ok && j < depth; j++) {
    napi_value f, pj; size_t lf = 0, lp = 0;
    ok = napi_get_element(env, a[0], j, &f) == napi_ok && napi_get_element(env, a[1], j, &pj) == napi_ok &&
         get_f32(env, f, &F[j], &lf) && get_f32(env, pj, &P[j], &lp) && lf >= nn && lp >= nn;
  }
  float *hat = NULL, *mask = NULL, *b = NULL, *b2 = NULL; size_t lh = 0, lm = 0, lb = 0, lb2 = 0;
  napi_valuetype maskType = napi_null;
  napi_typeof(env, a[3], &maskType);
  ok = ok && get_f32(env, a[2], &hat, &lh) && lh >= nn && get_f32(env, a[4], &b, &lb) && lb >= nn && get_f32(env, a[5], &b2, &lb2) && lb2 >= nn &&
       (maskType == napi_null || (get_f32(env, a[3], &mask, &lm) && lm >= nn)) && P[0] == F[0];
  if (!ok) { napi_throw_type_error(env, NULL, "factorAdvance: bad shapes or arrays (Float32Array expected)"); return NULL; }
  factor_advance(F, P, (int)depth, hat, mask, b, b2, n, eta, count, get_b(env, a[9]));
  return NULL;
}

// sgemv(trans, M, N, alpha, A, x, beta, y): y = alpha·op(A)·x + beta·y, A row-major M×N.
static napi_value js_sgemv(napi_env env, napi_callback_info info) {
  size_t argc = 8; napi_value a[8];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 8) { napi_throw_type_error(env, NULL, "sgemv: 8 arguments"); return NULL; }
  int tr = get_b(env, a[0]);
  int M = get_i(env, a[1]), N = get_i(env, a[2]);
  float alpha = (float)get_d(env, a[3]), beta = (float)get_d(env, a[6]);
  float *A, *x, *y; size_t la, lx, ly;
  if (!get_f32(env, a[4], &A, &la) || !get_f32(env, a[5], &x, &lx) || !get_f32(env, a[7], &y, &ly) || M < 0 || N < 0 ||
      la < (size_t)M * N || lx < (size_t)(tr ? M : N) || ly < (size_t)(tr ? N : M)) {
    napi_throw_type_error(env, NULL, "sgemv: bad shapes or arrays (Float32Array expected)"); return NULL;
  }
  if (M == 0 || N == 0) return NULL;
  if (p_sgemv) p_sgemv(RowMajor, tr ? Trans : NoTrans, M, N, alpha, A, N, x, 1, beta, y, 1);
  else builtin_sgemv(tr, M, N, alpha, A, x, beta, y);
  return NULL;
}

static int run_dgesdd(double *A, int m, int n, double *S);

// The arguments (A, m, n, out) of both singular value entry points; 0 (with a TypeError thrown) when bad.
static int get_svd_args(napi_env env, napi_callback_info info, const char *name, napi_value a[4], double **A, double **S, int *m, int *n) {
  size_t argc = 4, la = 0, ls = 0;
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok) argc = 0;
  if (argc == 4) { *m = get_i(env, a[1]); *n = get_i(env, a[2]); }
  if (argc != 4 || !get_f64(env, a[0], A, &la) || !get_f64(env, a[3], S, &ls) || *m <= 0 || *n <= 0 || la < (size_t)*m * *n ||
      ls < (size_t)(*m < *n ? *m : *n)) {
    char message[128];
    snprintf(message, sizeof message, "%s: bad shapes or arrays (Float64Array expected)", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

// singularValues(A: Float64Array (row-major m×n, overwritten), m, n, out: Float64Array(min(m,n))) -> LAPACK info
// (0 = success; -1000 = no LAPACK). Values descending (LAPACK dgesdd, jobz = 'N').
static napi_value js_singular_values(napi_env env, napi_callback_info info) {
  napi_value a[4], ret; double *A, *S; int m = 0, n = 0;
  if (!get_svd_args(env, info, "singularValues", a, &A, &S, &m, &n)) return NULL;
  int result = run_dgesdd(A, m, n, S);
  CHECK(napi_create_int32(env, result, &ret));
  return ret;
}

// dgesdd's workspace for singular values alone of an m×n matrix: the size LAPACK asks for
// (a query call), and iwork's 8·min(m, n) integers. Asked once per shape: for the tiny matrices
// of a batch the query cost as much as the decomposition.
typedef struct { int m, n, lwork; double *work; int *iwork; } dgesdd_space;

static int dgesdd_space_alloc(dgesdd_space *w, int m, int n) {
  int rows = n, cols = m, lda = n, one = 1, lwork = -1, inf = 0;
  double query = 0, dummy = 0;
  int k = m < n ? m : n;
  w->m = m; w->n = n; w->work = NULL;
  w->iwork = malloc(sizeof(int) * 8 * (size_t)k);
  if (!w->iwork) return -2000;
  p_dgesdd("N", &rows, &cols, &dummy, &lda, &dummy, &dummy, &one, &dummy, &one, &query, &lwork, w->iwork, &inf);
  w->lwork = (int)query + 1;
  w->work = malloc(sizeof(double) * (size_t)w->lwork);
  return w->work ? inf : -2000;
}

static void dgesdd_space_free(dgesdd_space *w) { free(w->work); free(w->iwork); }

// Singular values of the row-major m×n A (overwritten), descending; LAPACK's info.
static int dgesdd_values(double *A, double *S, dgesdd_space *w) {
  int rows = w->n, cols = w->m, lda = w->n, one = 1, lwork = w->lwork, inf = 0;
  double dummy = 0;
  p_dgesdd("N", &rows, &cols, A, &lda, S, &dummy, &one, &dummy, &one, w->work, &lwork, w->iwork, &inf);
  return inf;
}

static int run_dgesdd(double *A, int m, int n, double *S) {
  if (!p_dgesdd) return -1000;
  dgesdd_space w;
  int inf = dgesdd_space_alloc(&w, m, n);
  if (inf == 0) inf = dgesdd_values(A, S, &w);
  dgesdd_space_free(&w);
  return inf;
}

// singularValuesAsync(A, m, n, out) -> Promise<info>: the same as singularValues, off the main
// thread, so a logged step's SVD overlaps the next gradient steps (docs/performance.md). One SVD
// thread per Node environment takes the jobs in the order they were made, back to back: it never
// waits for the event loop, which may be busy with steps for a while (a libuv pool job, started
// from JS when the previous one settled, sat idle that long). A is read, not overwritten (the
// thread copies it when the job starts, so the main thread makes no copy); the caller must not
// change A or touch out until the promise settles; references keep them alive.
typedef struct svd_job {
  struct svd_job *next;
  napi_deferred deferred;
  napi_ref a_ref, out_ref;
  double *A, *S;
  int m, n, info;
} svd_job;

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t thread;
  int started, stopping;
  svd_job *head, *tail; // waiting, in call order
  int restore_threads;  // OpenBLAS threads to give back when the queue runs dry (0: none taken)
  int unsettled;        // jobs whose promise has not settled (main thread only)
  napi_threadsafe_function settle;
} svd_queue;

static void *svd_thread(void *data) {
  svd_queue *q = data;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (!q->head && !q->stopping) pthread_cond_wait(&q->cv, &q->mu);
    if (q->stopping) break;
    svd_job *job = q->head;
    q->head = job->next;
    if (!q->head) q->tail = NULL;
    pthread_mutex_unlock(&q->mu);
    double *copy = malloc(sizeof(double) * (size_t)job->m * job->n);
    if (copy) {
      memcpy(copy, job->A, sizeof(double) * (size_t)job->m * job->n);
      job->info = run_dgesdd(copy, job->m, job->n, job->S);
      free(copy);
    } else job->info = -2000;
    pthread_mutex_lock(&q->mu);
    // Give the steps their threads back as soon as nothing is left to compute, not when the event
    // loop next runs a completion (which may be many steps later). A benign race: the caller's
    // next BLAS call reads the count.
    if (!q->head) {
      if (q->restore_threads > 1 && p_set_threads) p_set_threads(q->restore_threads);
      q->restore_threads = 0;
    }
    pthread_mutex_unlock(&q->mu);
    if (napi_call_threadsafe_function(q->settle, job, napi_tsfn_nonblocking) != napi_ok) free(job);
    pthread_mutex_lock(&q->mu);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

// On the main thread: resolve the job's promise with its info and let go of its arrays.
static void resolve_job(napi_env env, svd_job *job) {
  napi_value v;
  napi_create_int32(env, job->info, &v);
  napi_resolve_deferred(env, job->deferred, v);
  napi_delete_reference(env, job->a_ref);
  napi_delete_reference(env, job->out_ref);
}

// The thread-safe function's callback, on the main thread: settle a finished job.
static void svd_settle(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)js_cb;
  svd_queue *q = context;
  svd_job *job = data;
  if (env) {
    resolve_job(env, job);
    // Nothing in flight: the idle SVD thread must not keep the process alive.
    if (--q->unsettled == 0) napi_unref_threadsafe_function(env, q->settle);
  }
  free(job);
}

static void svd_queue_stop(void *data) {
  svd_queue *q = data;
  pthread_mutex_lock(&q->mu);
  q->stopping = 1;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
  if (q->started) pthread_join(q->thread, NULL);
  while (q->head) { svd_job *j = q->head; q->head = j->next; free(j); }
  if (q->settle) napi_release_threadsafe_function(q->settle, napi_tsfn_abort);
  q->settle = NULL;
}

static void svd_queue_free(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  svd_queue *q = data;
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->cv);
  free(q);
}

static svd_queue *svd_queue_of(napi_env env) {
  svd_queue *q = NULL;
  if (napi_get_instance_data(env, (void **)&q) == napi_ok && q) return q;
  q = calloc(1, sizeof *q);
  if (!q) return NULL;
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->cv, NULL);
  napi_value name;
  if (napi_create_string_utf8(env, "dfl_singular_values", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, NULL, NULL, q, svd_settle, &q->settle) != napi_ok ||
      napi_unref_threadsafe_function(env, q->settle) != napi_ok || napi_set_instance_data(env, q, svd_queue_free, NULL) != napi_ok) {
    free(q);
    return NULL;
  }
  napi_add_env_cleanup_hook(env, svd_queue_stop, q);
  return q;
}

static napi_value js_singular_values_async(napi_env env, napi_callback_info info) {
  napi_value a[4], promise; double *A, *S; int m = 0, n = 0;
  if (!get_svd_args(env, info, "singularValuesAsync", a, &A, &S, &m, &n)) return NULL;
  svd_queue *q = svd_queue_of(env);
  svd_job *job = q ? calloc(1, sizeof *job) : NULL;
  if (!job) { napi_throw_error(env, NULL, "singularValuesAsync: out of memory"); return NULL; }
  job->A = A; job->S = S; job->m = m; job->n = n;
  if (napi_create_reference(env, a[0], 1, &job->a_ref) != napi_ok || napi_create_reference(env, a[3], 1, &job->out_ref) != napi_ok ||
      napi_create_promise(env, &job->deferred, &promise) != napi_ok) {
    free(job);
    napi_throw_error(env, NULL, "singularValuesAsync: N-API call failed");
    return NULL;
  }
  pthread_mutex_lock(&q->mu);
  if (!q->started) {
    if (pthread_create(&q->thread, NULL, svd_thread, q) != 0) {
      pthread_mutex_unlock(&q->mu);
      job->info = -4000; // no thread: the caller falls back to the synchronous routine
      resolve_job(env, job);
      free(job);
      return promise;
    }
    q->started = 1;
  }
  // OpenBLAS (pthreads) serializes, and slows by an order of magnitude, concurrent calls when it
  // runs more than one thread; while SVDs are queued, the caller's BLAS calls take one thread, so
  // both run side by side. Given back by the SVD thread when the queue runs dry.
  if (!q->restore_threads && p_get_threads && p_set_threads && p_get_threads() > 1) { q->restore_threads = p_get_threads(); p_set_threads(1); }
  if (q->tail) q->tail->next = job; else q->head = job;
  q->tail = job;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
  if (q->unsettled++ == 0) napi_ref_threadsafe_function(env, q->settle);
  return promise;
}

// gramEigenvalues(A: Float64Array row-major m×n, m, n, out: Float64Array(n)) -> info: eigenvalues of AᵀA, ascending
// (cblas_dsyrk + LAPACK dsyevd, jobz = 'N'); -1000 = not available.
static napi_value js_gram_eigenvalues(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value a[4]; napi_value ret;
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  double *A, *S; size_t la, ls;
  int m = get_i(env, a[1]), n = get_i(env, a[2]);
  if (argc != 4 || !get_f64(env, a[0], &A, &la) || !get_f64(env, a[3], &S, &ls) || m <= 0 || n <= 0 || la < (size_t)m * n || ls < (size_t)n) {
    napi_throw_type_error(env, NULL, "gramEigenvalues: bad shapes or arrays (Float64Array expected)"); return NULL;
  }
  int result = -1000;
  if (p_dsyrk && p_dsyevd) {
    double *G = malloc(sizeof(double) * (size_t)n * n);
    // G = AᵀA (row-major, upper triangle); as column-major it is the lower triangle of the same symmetric matrix.
    p_dsyrk(RowMajor, 121 /* Upper */, Trans, n, m, 1.0, A, n, 0.0, G, n);
    int lwork = -1, liwork = -1, iq = 0, inf = 0; double q = 0;
    p_dsyevd("N", "L", &n, G, &n, S, &q, &lwork, &iq, &liwork, &inf);
    lwork = (int)q + 1; liwork = iq + 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    int *iwork = malloc(sizeof(int) * (size_t)liwork);
    p_dsyevd("N", "L", &n, G, &n, S, work, &lwork, iwork, &liwork, &inf);
    free(work); free(iwork); free(G);
    result = inf;
  }
  CHECK(napi_create_int32(env, result, &ret));
  return ret;
}


// ---- batched small factorizations (sweeps) ----
//
// Many runs of the estimation problem with the same n and N, stepped in one call: member b's
// factor j is the row-major n×n block at ((b·N) + j)·n² of `factors`, its target at b·n² of
// `hats`. Members are the outer loop, so one member's factors and buffers stay in L1 for all
// `count` steps, and a member's numbers never depend on the other members of the batch. One step
// is the host matrix path's (core/engine/blasPath.ts, docs/theory.md (1.2)):
// prefixes P_j = W_j ⋯ W_1, B = P_N − Ŵ, then for j = N … 2 B' = W_jᵀ B and W_j −= η B P_{j−1}ᵀ,
// and W_1 −= η B. The n×n products are plain loops over rows (C_i· += a·B_k·) that the compiler
// vectorizes: for n ≤ 64 they beat a BLAS call, whose fixed cost per call dominates.


// C = op(A)·B for n a multiple of 8 (n ≤ 64), with GCC/Clang vector extensions (lowered to the
// machine's SIMD, or to scalar code where it has none): four rows of C at a time stay in
// registers across k, each row of B loaded once per four rows. A(i, k) = A[i·si + k·sk]
// (si = n, sk = 1: A·B; si = 1, sk = n: Aᵀ·B).
typedef float v8f __attribute__((vector_size(32)));
typedef float v8f_u __attribute__((vector_size(32), aligned(4)));

static inline __attribute__((always_inline)) void rows_kernel(int n, int si, int sk, const float *restrict A, const float *restrict B, float *restrict C) {
  const int w = n / 8;
  for (int i = 0; i < n; i += 4) {
    v8f acc[4][8];
    for (int r = 0; r < 4; r++)
      for (int v = 0; v < w; v++) acc[r][v] = (v8f){0, 0, 0, 0, 0, 0, 0, 0};
    for (int k = 0; k < n; k++) {
      const float *restrict bk = B + (size_t)k * n;
      v8f b[8];
      for (int v = 0; v < w; v++) b[v] = *(const v8f_u *)(bk + 8 * v);
      for (int r = 0; r < 4; r++) {
        const float a = A[(size_t)(i + r) * si + (size_t)k * sk];
        for (int v = 0; v < w; v++) acc[r][v] += a * b[v];
      }
    }
    for (int r = 0; r < 4; r++)
      for (int v = 0; v < w; v++) *(v8f_u *)(C + (size_t)(i + r) * n + 8 * v) = acc[r][v];
  }
}

static inline __attribute__((always_inline)) void small_nn(int n, const float *restrict A, const float *restrict B, float *restrict C) {
  if (n % 8 == 0 && n <= 64) { rows_kernel(n, n, 1, A, B, C); return; }
  for (int i = 0; i < n; i++) {
    float *restrict c = C + (size_t)i * n;
    for (int j = 0; j < n; j++) c[j] = 0.0f;
    for (int k = 0; k < n; k++) {
      const float a = A[(size_t)i * n + k];
      const float *restrict b = B + (size_t)k * n;
      for (int j = 0; j < n; j++) c[j] += a * b[j];
    }
  }
}

// C = Aᵀ B
static inline __attribute__((always_inline)) void small_tn(int n, const float *restrict A, const float *restrict B, float *restrict C) {
  if (n % 8 == 0 && n <= 64) { rows_kernel(n, 1, n, A, B, C); return; }
  for (int i = 0; i < n; i++) {
    float *restrict c = C + (size_t)i * n;
    for (int j = 0; j < n; j++) c[j] = 0.0f;
    for (int k = 0; k < n; k++) {
      const float a = A[(size_t)k * n + i];
      const float *restrict b = B + (size_t)k * n;
      for (int j = 0; j < n; j++) c[j] += a * b[j];
    }
  }
}

// W −= eta · B Pᵀ, with T a scratch n×n (Pᵀ) and acc a scratch row.
static inline __attribute__((always_inline)) void small_update_nt(int n, float eta, const float *restrict B, const float *restrict P, float *restrict T, float *restrict acc, float *restrict W) {
  for (int j = 0; j < n; j++)
    for (int k = 0; k < n; k++) T[(size_t)k * n + j] = P[(size_t)j * n + k];
  if (n % 8 == 0 && n <= 64) {
    // acc is n×n here (the workspace has room): the product, then the update.
    rows_kernel(n, n, 1, B, T, acc);
    const size_t nn = (size_t)n * n;
    for (size_t i = 0; i < nn; i++) W[i] -= eta * acc[i];
    return;
  }
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) acc[j] = 0.0f;
    for (int k = 0; k < n; k++) {
      const float b = B[(size_t)i * n + k];
      const float *restrict t = T + (size_t)k * n;
      for (int j = 0; j < n; j++) acc[j] += b * t[j];
    }
    float *restrict w = W + (size_t)i * n;
    for (int j = 0; j < n; j++) w[j] -= eta * acc[j];
  }
}

// prefix[j] (j = 1 … N−1) = W_j P_{j−1}, P_0 = W_0; prefix[N−1] is the product.
static inline __attribute__((always_inline)) void member_prefix(int n, int N, const float *W, float *prefix) {
  const size_t nn = (size_t)n * n;
  const float *p = W;
  for (int j = 1; j < N; j++) {
    small_nn(n, W + j * nn, p, prefix + (j - 1) * nn);
    p = prefix + (j - 1) * nn;
  }
}

static inline __attribute__((always_inline)) void member_steps(int n, int N, float *W, const float *hat, double eta, int count, float *work) {
  const size_t nn = (size_t)n * n;
  float *prefix = work;                  // N − 1 blocks
  float *b = prefix + (size_t)(N > 1 ? N - 1 : 0) * nn;
  float *b2 = b + nn, *T = b2 + nn, *acc = T + nn;
  const float meta = (float)eta;
  for (int k = 0; k < count; k++) {
    member_prefix(n, N, W, prefix);
    const float *product = N > 1 ? prefix + (size_t)(N - 2) * nn : W;
    for (size_t i = 0; i < nn; i++) b[i] = product[i] - hat[i];
    for (int j = N - 1; j >= 1; j--) {
      float *wj = W + j * nn;
      small_tn(n, wj, b, b2); // next B = W_jᵀ B (old W_j)
      small_update_nt(n, meta, b, j == 1 ? W : prefix + (size_t)(j - 2) * nn, T, acc, wj);
      float *t = b; b = b2; b2 = t;
    }
    for (size_t i = 0; i < nn; i++) W[i] -= (float)(eta * b[i]);
  }
}

// Copies of member_steps for common n, where the row loops have a constant trip count: the
// compiler keeps a row of C in vector registers across k (about 2× the generic loop at n = 16).
#define MEMBER_STEPS_FOR(NN) \
  static void member_steps_##NN(int N, float *W, const float *hat, double eta, int count, float *work) { member_steps(NN, N, W, hat, eta, count, work); }
MEMBER_STEPS_FOR(4)
MEMBER_STEPS_FOR(8)
MEMBER_STEPS_FOR(16)
MEMBER_STEPS_FOR(32)
static __attribute__((noinline)) void member_steps_any(int n, int N, float *W, const float *hat, double eta, int count, float *work) { member_steps(n, N, W, hat, eta, count, work); }

static void member_steps_dispatch(int n, int N, float *W, const float *hat, double eta, int count, float *work) {
  switch (n) {
    case 4: member_steps_4(N, W, hat, eta, count, work); return;
    case 8: member_steps_8(N, W, hat, eta, count, work); return;
    case 16: member_steps_16(N, W, hat, eta, count, work); return;
    case 32: member_steps_32(N, W, hat, eta, count, work); return;
    default: member_steps_any(n, N, W, hat, eta, count, work);
  }
}

typedef struct { float *factors, *hats; double *etas; uint8_t *active; size_t members; } batch_args;

static int get_batch(napi_env env, napi_value *a, int n, int N, batch_args *out) {
  size_t lf, lh, le, la;
  napi_typedarray_type t; void *data; napi_value ab; size_t off;
  if (n < 1 || N < 1 || !get_f32(env, a[0], &out->factors, &lf) || !get_f32(env, a[1], &out->hats, &lh) || !get_f64(env, a[2], &out->etas, &le)) return 0;
  if (napi_get_typedarray_info(env, a[3], &t, &la, &data, &ab, &off) != napi_ok || t != napi_uint8_array) return 0;
  out->active = (uint8_t *)data;
  const size_t nn = (size_t)n * n;
  out->members = le;
  return lf == le * (size_t)N * nn && lh == le * nn && la == le;
}

// batchAdvance(factors, hats, etas, active, n, N, count): `count` steps of every active member.
static napi_value js_batch_advance(napi_env env, napi_callback_info info) {
  size_t argc = 7; napi_value a[7];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 7) { napi_throw_type_error(env, NULL, "batchAdvance: 7 arguments"); return NULL; }
  int n = get_i(env, a[4]), N = get_i(env, a[5]), count = get_i(env, a[6]);
  batch_args b;
  if (!get_batch(env, a, n, N, &b) || count < 0) { napi_throw_type_error(env, NULL, "batchAdvance: bad shapes or arrays"); return NULL; }
  const size_t nn = (size_t)n * n;
  float *work = malloc(sizeof(float) * (nn * (size_t)(N + 4)));
  if (!work) { napi_throw_error(env, NULL, "batchAdvance: out of memory"); return NULL; }
  for (size_t m = 0; m < b.members; m++)
    if (b.active[m]) member_steps_dispatch(n, N, b.factors + m * (size_t)N * nn, b.hats + m * nn, b.etas[m], count, work);
  free(work);
  return NULL;
}

// batchObserve(factors, hats, etas, active, n, N, products: Float64Array, singular: Float64Array)
// -> 0, or −1000 without LAPACK: each active member's product W = W_N ⋯ W_1 (float32, widened)
// and its singular values (dgesdd, unsorted order as LAPACK returns them: descending).
static napi_value js_batch_observe(napi_env env, napi_callback_info info) {
  size_t argc = 8; napi_value a[8], ret;
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 8) { napi_throw_type_error(env, NULL, "batchObserve: 8 arguments"); return NULL; }
  int n = get_i(env, a[4]), N = get_i(env, a[5]);
  batch_args b;
  double *products, *singular; size_t lp, ls;
  if (!get_batch(env, a, n, N, &b) || !get_f64(env, a[6], &products, &lp) || !get_f64(env, a[7], &singular, &ls) ||
      lp != b.members * (size_t)n * n || ls != b.members * (size_t)n) {
    napi_throw_type_error(env, NULL, "batchObserve: bad shapes or arrays"); return NULL;
  }
  const size_t nn = (size_t)n * n;
  float *prefix = malloc(sizeof(float) * nn * (size_t)(N > 1 ? N - 1 : 1));
  double *copy = malloc(sizeof(double) * nn);
  dgesdd_space space = {0};
  int status = p_dgesdd ? dgesdd_space_alloc(&space, n, n) : -1000;
  if (!prefix || !copy || status == -2000) { free(prefix); free(copy); dgesdd_space_free(&space); napi_throw_error(env, NULL, "batchObserve: out of memory"); return NULL; }
  for (size_t m = 0; m < b.members; m++) {
    if (!b.active[m]) continue;
    const float *W = b.factors + m * (size_t)N * nn;
    member_prefix(n, N, W, prefix);
    const float *product = N > 1 ? prefix + (size_t)(N - 2) * nn : W;
    double *out = products + m * nn;
    int finite = 1;
    for (size_t i = 0; i < nn; i++) { out[i] = product[i]; if (!(out[i] - out[i] == 0.0)) finite = 0; }
    double *s = singular + m * (size_t)n;
    if (!finite) { for (int i = 0; i < n; i++) s[i] = 0.0 / 0.0; continue; }
    memcpy(copy, out, sizeof(double) * nn);
    if (status == 0 && dgesdd_values(copy, s, &space) != 0) status = -1000;
  }
  free(prefix); free(copy); dgesdd_space_free(&space);
  CHECK(napi_create_int32(env, status, &ret));
  return ret;
}

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value a[1];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (p_set_threads && argc == 1) p_set_threads(get_i(env, a[0]));
  return NULL;
}

// ---- Ctrl-C ----
// Node runs a SIGINT listener only when the main thread returns to its event loop, which a long
// synchronous stage (a float64 decomposition of a 1024x1024 target) does not do for seconds. This
// handler, installed over Node's, counts the interrupts: the first goes on to Node's handler (the
// listener cancels the run), the second ends the process at once with the shell's code 130.
static struct sigaction previous_sigint;
static volatile sig_atomic_t sigint_count = 0;

static void on_sigint(int sig, siginfo_t *si, void *context) {
  if (++sigint_count >= 2) _exit(130);
  if (previous_sigint.sa_flags & SA_SIGINFO) {
    if (previous_sigint.sa_sigaction) previous_sigint.sa_sigaction(sig, si, context);
  } else if (previous_sigint.sa_handler == SIG_DFL) {
    _exit(130);
  } else if (previous_sigint.sa_handler != SIG_IGN) {
    previous_sigint.sa_handler(sig);
  }
}

static napi_value js_exit_on_second_interrupt(napi_env env, napi_callback_info info) {
  (void)info;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigint;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigint_count = 0;
  if (sigaction(SIGINT, &sa, &previous_sigint) != 0) { napi_throw_error(env, NULL, "exitOnSecondInterrupt: sigaction failed"); return NULL; }
  return NULL;
}

// The orthogonal factor Q of A = QR with R's diagonal made positive (Q's columns flipped where
// R_jj < 0), A square, row-major: LAPACK dgeqrf + dorgqr on a column-major copy; A is replaced
// by Q (row-major). 0 = success, -1000 = no LAPACK, else LAPACK's info.
static int run_orthogonal_factor(double *A, int n) {
  if (!p_dgeqrf || !p_dorgqr) return -1000;
  size_t nn = (size_t)n * n;
  double *c = malloc(sizeof(double) * nn), *tau = malloc(sizeof(double) * (size_t)n), *sign = malloc(sizeof(double) * (size_t)n);
  double query = 0, *work = NULL;
  int lwork = -1, inf = 0;
  if (!c || !tau || !sign) { inf = -2000; goto done; }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) c[i + (size_t)j * n] = A[(size_t)i * n + j];
  p_dgeqrf(&n, &n, c, &n, tau, &query, &lwork, &inf);
  lwork = (int)query + 1;
  p_dorgqr(&n, &n, &n, c, &n, tau, &query, &(int){-1}, &inf);
  if ((int)query + 1 > lwork) lwork = (int)query + 1;
  work = malloc(sizeof(double) * (size_t)lwork);
  if (!work) { inf = -2000; goto done; }
  p_dgeqrf(&n, &n, c, &n, tau, work, &lwork, &inf);
  if (inf != 0) goto done;
  for (int j = 0; j < n; j++) sign[j] = c[j + (size_t)j * n] < 0 ? -1.0 : 1.0;
  p_dorgqr(&n, &n, &n, c, &n, tau, work, &lwork, &inf);
  if (inf != 0) goto done;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) A[(size_t)i * n + j] = c[i + (size_t)j * n] * sign[j];
done:
  free(c); free(tau); free(sign); free(work);
  return inf;
}

// orthogonalFactor(A: Float64Array (row-major n×n, replaced by Q), n) -> info (0 = success; -1000 = no LAPACK).
static napi_value js_orthogonal_factor(napi_env env, napi_callback_info info) {
  size_t argc = 2, la = 0; napi_value a[2], ret; double *A;
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  int n = argc == 2 ? get_i(env, a[1]) : 0;
  if (argc != 2 || !get_f64(env, a[0], &A, &la) || n <= 0 || la < (size_t)n * n) {
    napi_throw_type_error(env, NULL, "orthogonalFactor: bad shapes or arrays (Float64Array expected)"); return NULL;
  }
  CHECK(napi_create_int32(env, run_orthogonal_factor(A, n), &ret));
  return ret;
}

static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value o, v;
  CHECK(napi_create_object(env, &o));
  CHECK(napi_create_string_utf8(env, lib_name, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, o, "library", v));
  const char *cfg = p_get_config ? p_get_config() : (p_sgemm ? "unknown BLAS" : "builtin C kernel");
  CHECK(napi_create_string_utf8(env, cfg, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, o, "config", v));
  CHECK(napi_create_int32(env, p_get_threads ? p_get_threads() : 1, &v));
  CHECK(napi_set_named_property(env, o, "threads", v));
  CHECK(napi_get_boolean(env, p_sgemm != NULL, &v));
  CHECK(napi_set_named_property(env, o, "blas", v));
  CHECK(napi_get_boolean(env, p_dgesdd != NULL, &v));
  CHECK(napi_set_named_property(env, o, "lapack", v));
  return o;
}

static napi_value init(napi_env env, napi_value exports) {
  load_blas();
  napi_property_descriptor props[] = {
    {"sgemm", NULL, js_sgemm, NULL, NULL, NULL, napi_default, NULL},
    {"sgemv", NULL, js_sgemv, NULL, NULL, NULL, napi_default, NULL},
    {"factorAdvance", NULL, js_factor_advance, NULL, NULL, NULL, napi_default, NULL},
    {"singularValues", NULL, js_singular_values, NULL, NULL, NULL, napi_default, NULL},
    {"singularValuesAsync", NULL, js_singular_values_async, NULL, NULL, NULL, napi_default, NULL},
    {"gramEigenvalues", NULL, js_gram_eigenvalues, NULL, NULL, NULL, napi_default, NULL},
    {"orthogonalFactor", NULL, js_orthogonal_factor, NULL, NULL, NULL, napi_default, NULL},
    {"batchAdvance", NULL, js_batch_advance, NULL, NULL, NULL, napi_default, NULL},
    {"batchObserve", NULL, js_batch_observe, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
    {"exitOnSecondInterrupt", NULL, js_exit_on_second_interrupt, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
