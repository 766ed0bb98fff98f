#ifndef HV_BENCH_H
#define HV_BENCH_H

/* On the first LP, before the root runs: measurements hv.cfg asked for. */
void bench_at_launch(void);

#endif
