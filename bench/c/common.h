/* Shared helpers of the C ABI benchmarks: clock, percentiles, JSON result line. */
#ifndef TCROOM_BENCH_COMMON_H
#define TCROOM_BENCH_COMMON_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>

static inline double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

__attribute__((unused)) static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
__attribute__((unused)) static double pct(const double *v, size_t n, double p) {
    if (n == 0) return 0.0;
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return v[rank - 1];
}

/* Writes the samples (one per line) to path when set; sorts v; prints the result line. */
__attribute__((unused)) static void report(const char *name, const char *group, const char *client, double *v, size_t n,
                   const char *samples_path, const char *extra_json) {
    if (samples_path && *samples_path) {
        FILE *f = fopen(samples_path, "w");
        if (f) {
            for (size_t i = 0; i < n; i++) fprintf(f, "%.2f\n", v[i]);
            fclose(f);
        }
    }
    qsort(v, n, sizeof(double), cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += v[i];
    double mean = n ? sum / (double)n : 0.0;
    printf("{\"name\":\"%s\",\"group\":\"%s\",\"client\":\"%s\",\"n\":%zu,"
           "\"p50_us\":%.2f,\"p90_us\":%.2f,\"p99_us\":%.2f,\"min_us\":%.2f,\"max_us\":%.2f,"
           "\"mean_us\":%.2f,\"per_s\":%.2f,\"metric\":\"p50_us\"",
           name, group, client, n, pct(v, n, 50), pct(v, n, 90), pct(v, n, 99), n ? v[0] : 0.0,
           n ? v[n - 1] : 0.0, mean, mean > 0 ? 1e6 / mean : 0.0);
    if (samples_path && *samples_path) printf(",\"samples\":\"%s\"", samples_path);
    if (extra_json && *extra_json) printf(",%s", extra_json);
    printf("}\n");
    fflush(stdout);
}

#endif
