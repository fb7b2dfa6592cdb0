#include <cblas.h>
#include <lapacke.h>

/* Exported by OpenBLAS (its fork handler uses it): joins the worker threads, which otherwise spin
   with sched_yield for about 2^28 cycles after load and after each threaded call. The pool is
   started again by the next threaded BLAS call. */
int blas_thread_shutdown_(void);
