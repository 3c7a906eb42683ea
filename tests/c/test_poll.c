/* Poll mode, as an event-loop host uses it: tc_client_event_fd in poll(2), then
 * tc_client_next_event(…, 0, …); the wake call; callback and poll excluding each other; the
 * eventsLost marker of a full queue; the disconnected event ending the stream. */
#include "common.h"

#include <poll.h>

static int fd_readable(int fd, int timeout_ms) {
    struct pollfd pfd;
    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    return poll(&pfd, 1, timeout_ms) == 1 && (pfd.revents & POLLIN) != 0;
}

/* Events taken while looking for another one, kept for later waits. */
#define BACKLOG_MAX 64
static tc_event *backlog[BACKLOG_MAX];
static int backlog_n;

static int matches(const tc_event *ev, const char *name, const char *peer) {
    const char *p = tc_event_peer_id(ev);
    return strcmp(tc_event_name(ev), name) == 0 && (peer == NULL || (p && strncmp(p, peer, strlen(peer)) == 0));
}

/* Takes events through the descriptor until one named `name` from `peer` shows up (events
 * taken on the way stay in the backlog, in order, for the next waits). */
static tc_event *wait_event(tc_client *c, int fd, const char *name, const char *peer) {
    uint64_t deadline = t_now_ms() + T_LONG_MS;
    int i;
    for (i = 0; i < backlog_n; i++) {
        if (matches(backlog[i], name, peer)) {
            tc_event *ev = backlog[i];
            memmove(&backlog[i], &backlog[i + 1], (size_t)(backlog_n - i - 1) * sizeof backlog[0]);
            backlog_n--;
            return ev;
        }
    }
    while (t_now_ms() < deadline) {
        tc_event *ev = NULL;
        tc_status s;
        if (!fd_readable(fd, 1000)) continue;
        s = tc_client_next_event(c, 0, &ev);
        if (s == TC_STATUS_TIMEOUT) T_FAIL("the descriptor was readable but no event waited");
        CHECK_OK(s);
        if (matches(ev, name, peer)) return ev;
        if (backlog_n == BACKLOG_MAX) T_FAIL("backlog full");
        backlog[backlog_n++] = ev;
    }
    T_FAIL("no '%s' event from %s", name, peer ? peer : "*");
    return NULL;
}

static void clear_backlog(void) {
    while (backlog_n > 0) tc_event_free(backlog[--backlog_n]);
}

static void *waker(void *arg) {
    t_sleep_ms(100);
    tc_client_wake((const tc_client *)arg);
    return NULL;
}

static void noop_callback(void *user_data, const tc_event *ev) {
    (void)user_data;
    (void)ev;
}

static void test_poll_mode(void) {
    tc_client *c = t_connect();
    tc_conference_params p;
    tc_conference *conf = NULL;
    tc_event *ev = NULL;
    const char *invite[] = {"alice@some.server", "mod@some.server"};
    int fd = -1, flag = -1;
    char buf[64];
    size_t len = 0;
    pthread_t t;

    CHECK_OK(tc_client_event_fd(c, &fd));
    /* Drain whatever the connection brought; then the descriptor is quiet. */
    while (tc_client_next_event(c, 0, &ev) == TC_STATUS_OK) tc_event_free(ev);
    ev = NULL;
    CHECK(!fd_readable(fd, 0));
    CHECK_STATUS(tc_client_next_event(c, 50, &ev), TC_STATUS_TIMEOUT);

    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Polled";
    p.conf_type = TC_CONF_SYMMETRIC;
    p.invite_list = invite;
    p.invite_count = 2;
    p.use_waiting_room = 1;
    CHECK_OK(tc_create_conference_wait(c, &p, T_LONG_MS, &conf));

    ev = wait_event(c, fd, "conferenceCreated", NULL);
    CHECK(tc_event_get_kind(ev) == TC_EVENT_KIND_CONFERENCE_CREATED);
    CHECK_STR(tc_conference_id(tc_event_conference(ev)), tc_conference_id(conf));
    CHECK_STR(tc_event_conf_id(ev), tc_conference_id(conf));
    CHECK_OK(tc_event_get_string(ev, "confId", buf, sizeof buf, &len));
    CHECK_STR(buf, tc_conference_id(conf));
    CHECK(len == strlen(buf));
    CHECK_STATUS(tc_event_get_string(ev, "confId", buf, 4, &len), TC_STATUS_BUFFER_TOO_SMALL);
    CHECK(strlen(buf) == 3 && len == strlen(tc_conference_id(conf)));
    CHECK_STATUS(tc_event_get_string(ev, "noSuchField", buf, sizeof buf, NULL), TC_STATUS_NOT_FOUND);
    CHECK_OK(tc_event_get_bool(ev, "isWaitingRoomEnabled", &flag));
    CHECK(flag == 1);
    tc_event_free(ev);

    ev = wait_event(c, fd, "newParticipantInConference", "alice@some.server/");
    CHECK(tc_event_get_kind(ev) == TC_EVENT_KIND_NEW_PARTICIPANT);
    CHECK(tc_participant_in_waiting_room(tc_event_participant(ev)) == 1);
    tc_event_free(ev);
    ev = wait_event(c, fd, "participantPresenceInWaitingRoomChanged", "alice@some.server/");
    CHECK_OK(tc_event_get_bool(ev, "isInWaitingRoom", &flag));
    CHECK(flag == 1);
    {
        /* A copy outlives the original. */
        tc_event *copy = NULL;
        CHECK_OK(tc_event_copy(ev, &copy));
        tc_event_free(ev);
        CHECK(tc_event_get_kind(copy) == TC_EVENT_KIND_PARTICIPANT_PRESENCE_IN_WAITING_ROOM_CHANGED);
        CHECK(strstr(tc_event_json(copy), "\"callId\"") != NULL);
        tc_event_free(copy);
    }
    ev = wait_event(c, fd, "newParticipantInConference", "mod@some.server/");
    tc_event_free(ev);

    clear_backlog();

    /* tc_client_wake from another thread interrupts a blocked wait. */
    CHECK(pthread_create(&t, NULL, waker, c) == 0);
    while (tc_client_next_event(c, 0, &ev) == TC_STATUS_OK) tc_event_free(ev);
    CHECK_STATUS(tc_client_next_event(c, TC_WAIT_FOREVER, &ev), TC_STATUS_INTERRUPTED);
    pthread_join(t, NULL);
    /* A wake with nobody waiting makes the descriptor readable until a poll consumes it. */
    CHECK_OK(tc_client_wake(c));
    CHECK(fd_readable(fd, 0));
    CHECK_STATUS(tc_client_next_event(c, 0, &ev), TC_STATUS_INTERRUPTED);

    /* While a callback is registered, polling is refused; unregistering restores it. */
    CHECK_OK(tc_client_set_event_callback(c, noop_callback, NULL, NULL));
    CHECK_STATUS(tc_client_next_event(c, 0, &ev), TC_STATUS_BUSY);
    CHECK_OK(tc_client_set_event_callback(c, NULL, NULL, NULL));
    CHECK_OK(tc_client_hang_up(c, 1, 0));
    ev = wait_event(c, fd, "conferenceDeleted", NULL);
    tc_event_free(ev);
    clear_backlog();

    /* Closing queues "disconnected"; after it the poll ends at once. */
    CHECK_OK(tc_client_close(c));
    ev = wait_event(c, fd, "disconnected", NULL);
    clear_backlog();
    CHECK(tc_event_get_kind(ev) == TC_EVENT_KIND_DISCONNECTED);
    CHECK_OK(tc_event_get_string(ev, "reason", buf, sizeof buf, NULL));
    tc_event_free(ev);
    ev = NULL;
    CHECK_STATUS(tc_client_next_event(c, TC_WAIT_FOREVER, &ev), TC_STATUS_DISCONNECTED);
    CHECK(ev == NULL);
    CHECK(!fd_readable(fd, 0));

    tc_conference_free(conf);
    CHECK_OK(tc_client_free(c));
}

static void test_events_lost(void) {
    tc_client_options *o = t_options(t_env("TC_PIN"));
    tc_client *c = NULL;
    tc_conference_params p;
    tc_conference *conf = NULL;
    tc_event *ev = NULL;
    const char *invite[] = {"alice@some.server", "bob@some.server", "mod@some.server"};
    int64_t lost = 0;
    int saw_lost = 0, saw_disconnected = 0;
    tc_status s;

    CHECK_OK(tc_client_options_set_event_capacity(o, 2));
    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Overflow";
    p.conf_type = TC_CONF_ROLE;
    p.invite_list = invite;
    p.invite_count = 3;
    CHECK_OK(tc_create_conference_wait(c, &p, T_LONG_MS, &conf));
    CHECK_OK(tc_client_hang_up(c, 1, 0));
    CHECK_OK(tc_client_close(c));
    /* Nobody has polled: the queue held 2 events and counted the rest. Give the library's
     * event pump a moment to have moved the last of them. */
    t_sleep_ms(200);
    while ((s = tc_client_next_event(c, 2000, &ev)) == TC_STATUS_OK) {
        if (tc_event_get_kind(ev) == TC_EVENT_KIND_EVENTS_LOST) {
            saw_lost = 1;
            CHECK_OK(tc_event_get_int(ev, "count", &lost));
            CHECK(lost > 0);
            CHECK_STR(tc_event_name(ev), "eventsLost");
        }
        if (tc_event_get_kind(ev) == TC_EVENT_KIND_DISCONNECTED) saw_disconnected = 1;
        tc_event_free(ev);
    }
    CHECK_STATUS(s, TC_STATUS_DISCONNECTED);
    CHECK(saw_lost);
    CHECK(saw_disconnected); /* never dropped */
    tc_conference_free(conf);
    CHECK_OK(tc_client_free(c));
}

int main(void) {
    test_poll_mode();
    test_events_lost();
    CHECK_OK(tc_shutdown());
    printf("test_poll: ok\n");
    return 0;
}
