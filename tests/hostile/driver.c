/*
 * The C face against a hostile room: connect, one request, close, free, as a host would.
 *
 *   driver HOST WEB_PORT TIMEOUT_MS SCENARIO
 *
 * SCENARIO: "call" (getAppState), "call-pad" (then getAppState with an 8 MB parameter, so that
 * a room that stopped reading leaves a write pending for the close), "reconnect" (reconnect on,
 * events by callback: the request, then the events until "reconnected" or "disconnected", then
 * a second request).
 * Prints key=value lines (tests/hostile/run.py reads them); the last is outcome=STATUS, the
 * status of the connect when it failed, else of the request. Exits 0 unless the driver itself
 * could not run.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "tcroom.h"

static const char *status_name(tc_status s) {
    switch (s) {
    case TC_STATUS_OK: return "OK";
    case TC_STATUS_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case TC_STATUS_NULL_POINTER: return "NULL_POINTER";
    case TC_STATUS_CONNECTION: return "CONNECTION";
    case TC_STATUS_AUTH: return "AUTH";
    case TC_STATUS_TIMEOUT: return "TIMEOUT";
    case TC_STATUS_DISCONNECTED: return "DISCONNECTED";
    case TC_STATUS_REFUSED: return "REFUSED";
    case TC_STATUS_PROTOCOL: return "PROTOCOL";
    case TC_STATUS_CLOSED: return "CLOSED";
    case TC_STATUS_IN_CALLBACK: return "IN_CALLBACK";
    case TC_STATUS_BUSY: return "BUSY";
    case TC_STATUS_INTERRUPTED: return "INTERRUPTED";
    case TC_STATUS_PANIC: return "PANIC";
    case TC_STATUS_INTERNAL: return "INTERNAL";
    default: return "OTHER";
    }
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The last error, on one line. */
static const char *last_error(void) {
    static char buf[512];
    size_t len = 0;
    if (tc_last_error(buf, sizeof buf, &len) != TC_STATUS_OK) {
        snprintf(buf, sizeof buf, "(no message)");
    }
    for (char *p = buf; *p; p++) {
        if (*p == '\n') *p = ' ';
    }
    return buf;
}

static tc_status request(tc_client *c, const char *key, const char *params, uint32_t timeout_ms) {
    char *reply = NULL;
    long t = now_ms();
    tc_status st = tc_client_request_json(c, "getAppState", params, timeout_ms, &reply);
    printf("%s=%s %s_ms=%ld", key, status_name(st), key, now_ms() - t);
    if (st == TC_STATUS_OK || st == TC_STATUS_REFUSED) {
        printf(" reply_bytes=%zu", reply ? strlen(reply) : 0);
    }
    if (st != TC_STATUS_OK) {
        printf(" message=%s", last_error());
    }
    printf("\n");
    tc_string_free(reply);
    return st;
}

/* The connection events the callback saw (on the library's dispatcher thread), until
 * "reconnected" or "disconnected". */
struct seen {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    char names[2048];
    char reason[512];
    int done;
};

static void on_event(void *user_data, const tc_event *ev) {
    struct seen *s = user_data;
    const char *name = tc_event_name(ev);
    int last = strcmp(name, "reconnected") == 0 || strcmp(name, "disconnected") == 0;
    if (strcmp(name, "connectionLost") != 0 && !last) return;
    pthread_mutex_lock(&s->lock);
    if (!s->done) {
        if (s->names[0]) strncat(s->names, ",", sizeof s->names - strlen(s->names) - 1);
        strncat(s->names, name, sizeof s->names - strlen(s->names) - 1);
        if (strcmp(name, "disconnected") == 0) {
            size_t len = 0;
            if (tc_event_get_string(ev, "reason", s->reason, sizeof s->reason, &len) != TC_STATUS_OK) {
                s->reason[0] = 0;
            }
        }
        s->done = last;
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
}

/* Waits up to `wait_ms` for the callback to see "reconnected" or "disconnected". */
static void follow_reconnect(struct seen *s, long wait_ms) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    while (!s->done) {
        if (pthread_cond_timedwait(&s->changed, &s->lock, &until) != 0) break;
    }
    if (s->reason[0]) printf("disconnected_reason=%s\n", s->reason);
    printf("events=%s\n", s->names);
    pthread_mutex_unlock(&s->lock);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: driver HOST WEB_PORT TIMEOUT_MS call|call-pad|reconnect\n");
        return 2;
    }
    const char *host = argv[1];
    uint16_t port = (uint16_t)atoi(argv[2]);
    uint32_t timeout_ms = (uint32_t)atol(argv[3]);
    const char *scenario = argv[4];
    int reconnect = strcmp(scenario, "reconnect") == 0;

    char *params = NULL;
    if (strcmp(scenario, "call-pad") == 0) {
        size_t pad = 8u << 20;
        params = malloc(pad + 16);
        if (!params) return 2;
        strcpy(params, "{\"pad\":\"");
        memset(params + 8, 'x', pad);
        strcpy(params + 8 + pad, "\"}");
    }

    tc_client_options *o = NULL;
    tc_client *c = NULL;
    if (tc_client_options_new(&o) != TC_STATUS_OK || tc_client_options_set_host(o, host) != TC_STATUS_OK ||
        tc_client_options_set_web_port(o, port) != TC_STATUS_OK || tc_client_options_set_pin(o, "1234") != TC_STATUS_OK ||
        tc_client_options_set_request_timeout(o, timeout_ms) != TC_STATUS_OK ||
        (reconnect && tc_client_options_set_reconnect(o, 1, 5, 100, 500) != TC_STATUS_OK) ||
        tc_client_new(o, &c) != TC_STATUS_OK) {
        fprintf(stderr, "driver: cannot make the client: %s\n", last_error());
        return 2;
    }
    tc_client_options_free(o);
    /* Events by callback, as the issue saw them fail: the callback must see "reconnected". */
    static struct seen seen = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, "", "", 0};
    if (reconnect && tc_client_set_event_callback(c, on_event, &seen, NULL) != TC_STATUS_OK) {
        fprintf(stderr, "driver: cannot set the event callback: %s\n", last_error());
        return 2;
    }

    long t = now_ms();
    tc_status outcome = tc_client_connect(c, timeout_ms);
    printf("connect=%s connect_ms=%ld", status_name(outcome), now_ms() - t);
    if (outcome != TC_STATUS_OK) printf(" message=%s", last_error());
    printf("\n");
    if (outcome == TC_STATUS_OK) {
        outcome = request(c, "request", NULL, timeout_ms);
        if (params) {
            /* After the first: a room that froze at it leaves this write pending. */
            request(c, "request_pad", params, timeout_ms);
        }
        if (reconnect) {
            follow_reconnect(&seen, 4L * timeout_ms);
            request(c, "request2", NULL, timeout_ms);
        }
    }
    fflush(stdout);

    t = now_ms();
    tc_status st = tc_client_close(c);
    printf("close=%s close_ms=%ld\n", status_name(st), now_ms() - t);
    t = now_ms();
    st = tc_client_free(c);
    printf("free=%s free_ms=%ld\n", status_name(st), now_ms() - t);
    st = tc_shutdown();
    printf("shutdown=%s\n", status_name(st));
    free(params);
    printf("outcome=%s\n", status_name(outcome));
    return 0;
}
