/*
 * Helpers shared by the C and C++ tests of libtcroom. Include it first: it selects POSIX
 * before any system header. The runner (tests/c/run.sh) passes the emulator through the
 * environment: TC_HOST, TC_WEB_PORT, TC_WS_PORT, TC_PIN, and TC_EMULATOR (the binary, for
 * tests that start their own).
 */
#ifndef TCROOM_TEST_COMMON_H
#define TCROOM_TEST_COMMON_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tcroom.h"

/* Upper bound for anything that should take milliseconds: generous, because under valgrind on
 * a busy machine a connect can take seconds. Only reached when something is wrong. */
#define T_LONG_MS 30000

static inline const char *t_last_error(void) {
    static char buf[2048];
    buf[0] = '\0';
    tc_last_error(buf, sizeof buf, NULL);
    return buf;
}

#define T_FAIL(...)                                                                            \
    do {                                                                                       \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                        \
        fprintf(stderr, __VA_ARGS__);                                                          \
        fprintf(stderr, "\n");                                                                 \
        exit(1);                                                                               \
    } while (0)

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) T_FAIL("CHECK failed: %s", #cond);                                        \
    } while (0)

#define CHECK_STATUS(expr, want)                                                               \
    do {                                                                                       \
        tc_status got_ = (expr);                                                               \
        if (got_ != (want))                                                                    \
            T_FAIL("%s returned %d (%s), expected %d; last error: %s", #expr, (int)got_,       \
                   tc_status_str(got_), (int)(want), t_last_error());                          \
    } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, TC_STATUS_OK)

#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                                   \
            T_FAIL("%s is \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    } while (0)

static inline const char *t_env(const char *name) {
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') T_FAIL("environment variable %s is not set (run tests/c/run.sh)", name);
    return v;
}

static inline uint16_t t_env_port(const char *name) {
    return (uint16_t)atoi(t_env(name));
}

static inline uint64_t t_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline void t_sleep_ms(unsigned ms) {
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000u);
    ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Options for the runner's emulator, by WebSocket port (discovery is the example's job). */
static inline tc_client_options *t_options(const char *pin) {
    tc_client_options *o = NULL;
    CHECK_OK(tc_client_options_new(&o));
    CHECK_OK(tc_client_options_set_host(o, t_env("TC_HOST")));
    CHECK_OK(tc_client_options_set_ws_port(o, t_env_port("TC_WS_PORT")));
    if (pin != NULL) CHECK_OK(tc_client_options_set_pin(o, pin));
    return o;
}

static inline tc_client *t_connect(void) {
    tc_client_options *o = t_options(t_env("TC_PIN"));
    tc_client *c = NULL;
    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    return c;
}

/* ---- a log of what callbacks saw, waited on by the test thread ---- */

#define T_LOG_MAX 256
#define T_TEXT 160

typedef struct t_entry {
    int kind;                 /* tc_event_kind, or -1 for a conference stage record */
    int stage;                /* tc_conference_stage for stage records */
    int status;               /* tc_status for stage records */
    int flag;                 /* isInWaitingRoom / cause, -1 if absent */
    char name[T_TEXT];
    char peer[T_TEXT];
    char text[T_TEXT];        /* message, or conference id */
} t_entry;

typedef struct t_log {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    t_entry e[T_LOG_MAX];
    int n;
    pthread_t callback_thread;
    int callback_thread_known;
    int callback_thread_consistent;
} t_log;

static inline void t_log_init(t_log *l) {
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    l->callback_thread_consistent = 1;
}

static inline void t_log_destroy(t_log *l) {
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
}

static inline void t_copy(char *dst, const char *src) {
    if (src == NULL) src = "";
    strncpy(dst, src, T_TEXT - 1);
    dst[T_TEXT - 1] = '\0';
}

static inline void t_log_add(t_log *l, const t_entry *e) {
    pthread_mutex_lock(&l->mu);
    if (!l->callback_thread_known) {
        l->callback_thread = pthread_self();
        l->callback_thread_known = 1;
    } else if (!pthread_equal(l->callback_thread, pthread_self())) {
        l->callback_thread_consistent = 0;
    }
    if (l->n < T_LOG_MAX) l->e[l->n++] = *e;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

/* Records an event: its kind, name, peer and the waiting-room flag or reject cause. */
static inline void t_log_event(t_log *l, const tc_event *ev) {
    t_entry e;
    int64_t cause = -1;
    int flag = -1;
    memset(&e, 0, sizeof e);
    e.kind = (int)tc_event_get_kind(ev);
    t_copy(e.name, tc_event_name(ev));
    t_copy(e.peer, tc_event_peer_id(ev));
    if (tc_event_get_bool(ev, "isInWaitingRoom", &flag) == TC_STATUS_OK) e.flag = flag;
    else if (tc_event_get_int(ev, "cause", &cause) == TC_STATUS_OK) e.flag = (int)cause;
    else e.flag = -1;
    t_copy(e.text, tc_event_conf_id(ev));
    t_log_add(l, &e);
}

/* Index of the first entry after `from` matching name (and peer prefix, flag when >= 0). */
static inline int t_log_find_locked(const t_log *l, int from, const char *name, const char *peer, int flag) {
    int i;
    for (i = from; i < l->n; i++) {
        const t_entry *e = &l->e[i];
        if (strcmp(e->name, name) != 0) continue;
        if (peer != NULL && strncmp(e->peer, peer, strlen(peer)) != 0) continue;
        if (flag >= 0 && e->flag != flag) continue;
        return i;
    }
    return -1;
}

/* Waits up to timeout_ms for a matching entry; returns its index or fails the test. */
static inline int t_log_wait(t_log *l, const char *name, const char *peer, int flag, unsigned timeout_ms) {
    uint64_t deadline = t_now_ms() + timeout_ms;
    int found;
    pthread_mutex_lock(&l->mu);
    while ((found = t_log_find_locked(l, 0, name, peer, flag)) < 0) {
        struct timespec ts;
        uint64_t now = t_now_ms();
        if (now >= deadline) break;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 20 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec += 1;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&l->cv, &l->mu, &ts);
    }
    pthread_mutex_unlock(&l->mu);
    if (found < 0) T_FAIL("no '%s' (peer %s, flag %d) within %u ms", name, peer ? peer : "*", flag, timeout_ms);
    return found;
}

static inline int t_log_count(t_log *l) {
    int n;
    pthread_mutex_lock(&l->mu);
    n = l->n;
    pthread_mutex_unlock(&l->mu);
    return n;
}

/* ---- an emulator of the test's own, for tests that kill it ---- */

typedef struct t_emulator {
    pid_t pid;
    uint16_t web_port;
    uint16_t ws_port;
} t_emulator;

/* Starts TC_EMULATOR with `pin` (NULL: unsecured) on WebSocket port `ws_port` (0: any) and
 * reads its ports from the first line. */
static inline t_emulator t_emulator_start_on(const char *pin, uint16_t ws_port) {
    t_emulator emu;
    int fds[2];
    char line[256];
    size_t len = 0;
    const char *exe = t_env("TC_EMULATOR");
    const char *p;
    char port[16];
    snprintf(port, sizeof port, "%u", (unsigned)ws_port);
    memset(&emu, 0, sizeof emu);
    if (pipe(fds) != 0) T_FAIL("pipe: %s", strerror(errno));
    emu.pid = fork();
    if (emu.pid < 0) T_FAIL("fork: %s", strerror(errno));
    if (emu.pid == 0) {
        int null_fd = open("/dev/null", O_WRONLY);
#ifdef __linux__
        /* A test that fails (exit) or crashes must not leave its room running. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        dup2(fds[1], 1);
        if (null_fd >= 0 && getenv("TC_EMULATOR_LOG") == NULL) dup2(null_fd, 2); /* keep test output clean */
        close(fds[0]);
        close(fds[1]);
        if (pin != NULL)
            execl(exe, exe, "--host", "127.0.0.1", "--ws-port", port, "--pin", pin, (char *)NULL);
        else
            execl(exe, exe, "--host", "127.0.0.1", "--ws-port", port, "--unsecured", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    while (len + 1 < sizeof line) {
        ssize_t r = read(fds[0], line + len, 1);
        if (r <= 0 || line[len] == '\n') break;
        len++;
    }
    line[len] = '\0';
    close(fds[0]);
    p = strstr(line, "\"web_port\":");
    if (p != NULL) emu.web_port = (uint16_t)atoi(p + strlen("\"web_port\":"));
    p = strstr(line, "\"ws_port\":");
    if (p != NULL) emu.ws_port = (uint16_t)atoi(p + strlen("\"ws_port\":"));
    if (emu.ws_port == 0) T_FAIL("the emulator did not report its ports: '%s'", line);
    return emu;
}

static inline t_emulator t_emulator_start(const char *pin) {
    return t_emulator_start_on(pin, 0);
}

static inline void t_emulator_kill(t_emulator *emu, int sig) {
    int st;
    if (emu->pid <= 0) return;
    kill(emu->pid, sig);
    if (sig == SIGSTOP) {
        /* kill() only queues the signal: wait until the room has really stopped. */
        waitpid(emu->pid, &st, WUNTRACED);
    } else if (sig == SIGKILL || sig == SIGTERM) {
        waitpid(emu->pid, &st, 0);
        emu->pid = 0;
    }
}

#endif
