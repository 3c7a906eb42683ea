/* Event delivery through the C ABI: a callback on the dispatcher thread, or polling with
 * tc_client_next_event. Asks `tcroom-bench serve` (its flood port) for COUNT `benchTick`
 * notifications, counts them, checks `seq` is 0..COUNT-1 in order, and counts the ones the
 * library reports lost (`eventsLost`).
 *
 *   events PORT FLOOD_PORT callback|poll COUNT [CAPACITY] [TIMEOUT_S]
 */
#include "common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "tcroom.h"

static void die(const char *what, tc_status st) {
    char buf[512];
    tc_last_error(buf, sizeof buf, NULL);
    fprintf(stderr, "events: %s: %s (%s)\n", what, tc_status_str(st), buf);
    exit(1);
}

struct counter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long long want, got, lost, disorder, expect;
    double first, last;
};

static struct counter C = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, 0, 0};

/* Counts one event; returns 1 when done. Called from one thread at a time. */
static int count_event(const struct tc_event *ev) {
    tc_event_kind k = tc_event_get_kind(ev);
    int done = 0;
    if (k == TC_EVENT_KIND_EVENTS_LOST) {
        int64_t n = 0;
        tc_event_get_int(ev, "count", &n);
        pthread_mutex_lock(&C.mu);
        C.lost += n;
        done = C.got + C.lost >= C.want;
        if (done) pthread_cond_broadcast(&C.cv);
        pthread_mutex_unlock(&C.mu);
        return done;
    }
    const char *name = tc_event_name(ev);
    if (!name || strcmp(name, "benchTick") != 0) return 0;
    int64_t seq = -1;
    tc_event_get_int(ev, "seq", &seq);
    double t = now_us();
    pthread_mutex_lock(&C.mu);
    if (C.got == 0) C.first = t;
    C.last = t;
    if (seq != C.expect) C.disorder++;
    C.expect = seq + 1;
    C.got++;
    done = C.got + C.lost >= C.want;
    if (done) pthread_cond_broadcast(&C.cv);
    pthread_mutex_unlock(&C.mu);
    return done;
}

static void on_event(void *ud, const struct tc_event *ev) {
    (void)ud;
    count_event(ev);
}

static void trigger(int port, long long n) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("events: flood port");
        exit(1);
    }
    char line[64];
    int len = snprintf(line, sizeof line, "%lld\n", n);
    if (write(s, line, (size_t)len) != len) {
        perror("events: flood write");
        exit(1);
    }
    /* Keep the socket open until the host has emitted (it answers "ok <us>"). */
    char buf[64];
    ssize_t r = read(s, buf, sizeof buf - 1);
    (void)r;
    close(s);
}

struct trig_args { int port; long long n; };
static void *trigger_thread(void *p) {
    struct trig_args *a = p;
    trigger(a->port, a->n);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: events PORT FLOOD_PORT callback|poll COUNT [CAPACITY] [TIMEOUT_S]\n");
        return 2;
    }
    int port = atoi(argv[1]), flood = atoi(argv[2]);
    int poll_mode = strcmp(argv[3], "poll") == 0;
    long long count = atoll(argv[4]);
    long capacity = argc > 5 ? atol(argv[5]) : 0;
    double timeout_s = argc > 6 ? atof(argv[6]) : 60.0;
    C.want = count;

    tc_client_options *o = NULL;
    tc_status st = tc_client_options_new(&o);
    if (st != TC_STATUS_OK) die("options_new", st);
    tc_client_options_set_host(o, "127.0.0.1");
    tc_client_options_set_ws_port(o, (uint16_t)port);
    tc_client_options_set_unsecured(o);
    if (capacity > 0) tc_client_options_set_event_capacity(o, (size_t)capacity);
    tc_client *c = NULL;
    st = tc_client_new(o, &c);
    tc_client_options_free(o);
    if (st != TC_STATUS_OK) die("client_new", st);
    if (!poll_mode) {
        st = tc_client_set_event_callback(c, on_event, NULL, NULL);
        if (st != TC_STATUS_OK) die("set_event_callback", st);
    }
    st = tc_client_connect(c, 10000);
    if (st != TC_STATUS_OK) die("connect", st);
    if (poll_mode) {
        /* Drop what the handshake queued (none expected). */
        struct tc_event *ev = NULL;
        while (tc_client_next_event(c, 0, &ev) == TC_STATUS_OK) tc_event_free(ev);
    }

    double deadline = now_us() + timeout_s * 1e6;
    pthread_t th;
    struct trig_args ta = {flood, count};
    pthread_create(&th, NULL, trigger_thread, &ta);
    if (poll_mode) {
        for (;;) {
            double left = deadline - now_us();
            if (left <= 0) break;
            struct tc_event *ev = NULL;
            st = tc_client_next_event(c, (uint32_t)(left / 1000.0) + 1, &ev);
            if (st == TC_STATUS_TIMEOUT) break;
            if (st != TC_STATUS_OK) die("next_event", st);
            int done = count_event(ev);
            tc_event_free(ev);
            if (done) break;
        }
    } else {
        pthread_mutex_lock(&C.mu);
        while (C.got + C.lost < C.want) {
            double left = deadline - now_us();
            if (left <= 0) break;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            long long ns = (long long)ts.tv_nsec + (long long)(left * 1000.0);
            ts.tv_sec += (time_t)(ns / 1000000000LL);
            ts.tv_nsec = (long)(ns % 1000000000LL);
            pthread_cond_timedwait(&C.cv, &C.mu, &ts);
        }
        pthread_mutex_unlock(&C.mu);
    }
    pthread_join(th, NULL);

    pthread_mutex_lock(&C.mu);
    double span = C.last - C.first;
    double rate = (span > 0 && C.got > 1) ? (double)(C.got - 1) / (span / 1e6) : 0.0;
    long long missing = count - C.got;
    printf("{\"name\":\"events C ABI (%s)\",\"group\":\"events\",\"client\":\"c-%s\",\"p50_us\":null,"
           "\"p99_us\":null,\"per_s\":%.2f,\"sent\":%lld,\"received\":%lld,\"lost\":%lld,\"reported_lost\":%lld,"
           "\"out_of_order\":%lld,\"metric\":\"per_s\"}\n",
           poll_mode ? "tc_client_next_event poll" : "callback", poll_mode ? "poll" : "callback", rate, count, C.got,
           missing < 0 ? 0 : missing, C.lost, C.disorder);
    pthread_mutex_unlock(&C.mu);
    fflush(stdout);
    if (!poll_mode) tc_client_set_event_callback(c, NULL, NULL, NULL);
    tc_client_free(c);
    return 0;
}
