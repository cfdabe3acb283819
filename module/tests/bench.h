/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PC5SEC_BENCH_H
#define _PC5SEC_BENCH_H

/*
 * The in-kernel microbenchmark (bench.c, debugfs pc5sec/bench), built only
 * with CONFIG_PC5SEC_BENCH (make bench); never in the production module.
 */
#if IS_ENABLED(CONFIG_PC5SEC_BENCH)
void pc5sec_bench_init(void);
void pc5sec_bench_exit(void);
#else
static inline void pc5sec_bench_init(void) {}
static inline void pc5sec_bench_exit(void) {}
#endif

#endif /* _PC5SEC_BENCH_H */
