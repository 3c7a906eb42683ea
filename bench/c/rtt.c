/* Round trip of one command through the C ABI, blocking calls from the main thread.
 *
 *   rtt PORT OP MODE N WARMUP [SAMPLES_FILE]
 *   OP:   getAppState | createConference
 *   MODE: typed (tc_client_get_app_state / tc_create_conference up to ACCEPTED)
 *         json  (tc_client_request_json)
 *
 * createConference is timed from the call to acceptance; the hang-up after it is not timed.
 */
#include "common.h"
#include <pthread.h>
#include "tcroom.h"

static void die(const char *what, tc_status st) {
    char buf[512];
    tc_last_error(buf, sizeof buf, NULL);
    fprintf(stderr, "rtt: %s: %s (%s)\n", what, tc_status_str(st), buf);
    exit(1);
}

/* Hand-off from the dispatcher thread's conference callback to the caller. */
struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int accepted;
    int final;
    int failed;
    double accepted_at;
};

static void on_conference(void *ud, tc_conference_stage stage, tc_status status, const struct tc_conference *conf,
                          const char *json, const char *message) {
    (void)status; (void)conf; (void)json; (void)message;
    struct waiter *w = ud;
    double t = now_us();
    pthread_mutex_lock(&w->mu);
    if (stage == TC_CONFERENCE_STAGE_ACCEPTED) {
        w->accepted = 1;
        w->accepted_at = t;
    } else {
        if (stage != TC_CONFERENCE_STAGE_STARTED) w->failed = 1;
        if (!w->accepted) w->accepted_at = t;
        w->accepted = 1;
        w->final = 1;
    }
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static struct waiter W = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0};

/* createConference by callback: when the ACCEPTED callback began, from the call (the library's
 * own latency; the time until the caller's thread is woken adds the host's hand-off). */
static double last_callback_us;

static double once(tc_client *c, int create, int json) {
    double t0 = now_us(), d;
    tc_status st;
    if (!create) {
        if (json) {
            char *reply = NULL;
            st = tc_client_request_json(c, "getAppState", NULL, 0, &reply);
            d = now_us() - t0;
            if (st != TC_STATUS_OK) die("request_json getAppState", st);
            tc_string_free(reply);
        } else {
            int32_t state = -1;
            st = tc_client_get_app_state(c, 0, &state);
            d = now_us() - t0;
            if (st != TC_STATUS_OK) die("get_app_state", st);
        }
        return d;
    }
    if (json) {
        char *reply = NULL;
        st = tc_client_request_json(c, "createConference", "{\"title\":\"Bench\",\"confType\":\"role\"}", 0, &reply);
        d = now_us() - t0;
        if (st != TC_STATUS_OK) die("request_json createConference", st);
        tc_string_free(reply);
    } else {
        tc_conference_params p;
        tc_conference_params_init(&p, sizeof p);
        p.title = "Bench";
        p.conf_type = TC_CONF_ROLE;
        pthread_mutex_lock(&W.mu);
        W.accepted = W.final = W.failed = 0;
        pthread_mutex_unlock(&W.mu);
        st = tc_create_conference(c, &p, 0, on_conference, &W);
        if (st != TC_STATUS_OK) die("create_conference", st);
        pthread_mutex_lock(&W.mu);
        while (!W.accepted) pthread_cond_wait(&W.cv, &W.mu);
        /* The caller is woken now: that is what a blocked C caller sees. */
        d = now_us() - t0;
        last_callback_us = W.accepted_at - t0;
        while (!W.final) pthread_cond_wait(&W.cv, &W.mu);
        int failed = W.failed;
        pthread_mutex_unlock(&W.mu);
        if (failed) die("create_conference did not start", TC_STATUS_REFUSED);
    }
    st = tc_client_hang_up(c, 1, 0);
    if (st != TC_STATUS_OK) die("hang_up", st);
    return d;
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[2], "idle") == 0) {
        /* rtt PORT idle SECONDS: connect, then do nothing (wake-ups are counted from outside). */
        tc_client_options *o = NULL;
        tc_client *c = NULL;
        tc_client_options_new(&o);
        tc_client_options_set_ws_port(o, (uint16_t)atoi(argv[1]));
        tc_client_options_set_unsecured(o);
        tc_status st = tc_client_new(o, &c);
        tc_client_options_free(o);
        if (st != TC_STATUS_OK) die("client_new", st);
        st = tc_client_connect(c, 10000);
        if (st != TC_STATUS_OK) die("connect", st);
        printf("ready\n");
        fflush(stdout);
        double s = atof(argv[3]);
        struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
        nanosleep(&ts, NULL);
        tc_client_free(c);
        return 0;
    }
    if (argc < 6) {
        fprintf(stderr, "usage: rtt PORT getAppState|createConference typed|json N WARMUP [SAMPLES_FILE]\n"
                        "       rtt PORT idle SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int create = strcmp(argv[2], "createConference") == 0;
    int json = strcmp(argv[3], "json") == 0;
    long n = atol(argv[4]), warmup = atol(argv[5]);
    const char *samples = argc > 6 ? argv[6] : NULL;
    if (n <= 0 || n > 10000000) n = 1000;

    tc_client_options *o = NULL;
    tc_status st = tc_client_options_new(&o);
    if (st != TC_STATUS_OK) die("options_new", st);
    tc_client_options_set_host(o, "127.0.0.1");
    tc_client_options_set_ws_port(o, (uint16_t)port);
    tc_client_options_set_unsecured(o);
    tc_client *c = NULL;
    st = tc_client_new(o, &c);
    tc_client_options_free(o);
    if (st != TC_STATUS_OK) die("client_new", st);
    st = tc_client_connect(c, 10000);
    if (st != TC_STATUS_OK) die("connect", st);

    for (long i = 0; i < warmup; i++) once(c, create, json);
    double *v = malloc(sizeof(double) * (size_t)n);
    double *cb = malloc(sizeof(double) * (size_t)n);
    for (long i = 0; i < n; i++) {
        v[i] = once(c, create, json);
        cb[i] = last_callback_us;
    }

    const char *op = create ? "createConference" : "getAppState";
    char name[128], group[64], client[32];
    snprintf(name, sizeof name, "rtt %s C ABI%s", op, json ? " (request_json)" : "");
    snprintf(group, sizeof group, "rtt/%s", op);
    snprintf(client, sizeof client, "%s", json ? "c-json" : "c");
    report(name, group, client, v, (size_t)n, samples, NULL);
    if (create && !json) {
        /* Same calls, timed to the start of the ACCEPTED callback (where a callback-driven
         * host's code runs), without the hand-off to the thread that waits. */
        char cb_samples[512] = "";
        if (samples) snprintf(cb_samples, sizeof cb_samples, "%s.callback", samples);
        report("rtt createConference C ABI (callback runs)", group, "c-cb", cb, (size_t)n, cb_samples, NULL);
    }
    free(v);
    free(cb);
    tc_client_free(c);
    return 0;
}
