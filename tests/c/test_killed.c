/* The room stops answering, then dies mid-request: time-outs, then every pending call (blocking,
 * JSON async, create-conference) ends with DISCONNECTED, the poll sees "disconnected", and a
 * reconnect reports the connection failure. Then automatic reconnection: a room that comes back
 * on the same port is rejoined; one that does not is given up on. Emulators of its own. */
#include "common.h"

typedef struct outcome {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int json_status;
    int conf_stage;
    int conf_status;
    int blocking_status;
} outcome;

static tc_client *g_client;
static outcome g_out;

static void set_field(int *field, int v) {
    pthread_mutex_lock(&g_out.mu);
    *field = v;
    pthread_cond_broadcast(&g_out.cv);
    pthread_mutex_unlock(&g_out.mu);
}

static void wait_field(int *field, int timeout_ms) {
    uint64_t deadline = t_now_ms() + (uint64_t)timeout_ms;
    pthread_mutex_lock(&g_out.mu);
    while (*field < 0 && t_now_ms() < deadline) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&g_out.cv, &g_out.mu, &ts);
    }
    pthread_mutex_unlock(&g_out.mu);
    CHECK(*field >= 0);
}

static void on_json(void *user_data, tc_status status, const char *reply, const char *message) {
    (void)user_data;
    CHECK(reply == NULL && message != NULL);
    set_field(&g_out.json_status, (int)status);
}

static void on_conf(void *user_data, tc_conference_stage stage, tc_status status, const tc_conference *conf,
                    const char *json, const char *message) {
    (void)user_data;
    (void)conf;
    (void)json;
    (void)message;
    if (stage == TC_CONFERENCE_STAGE_ACCEPTED) return;
    pthread_mutex_lock(&g_out.mu);
    g_out.conf_status = (int)status;
    pthread_mutex_unlock(&g_out.mu);
    set_field(&g_out.conf_stage, (int)stage);
}

static void *blocking_call(void *arg) {
    char *link = NULL;
    (void)arg;
    set_field(&g_out.blocking_status, (int)tc_client_get_session_link(g_client, 30000, &link));
    tc_string_free(link);
    return NULL;
}

/* Takes events until one of `kind` (fails on DISCONNECTED unless that is the kind wanted). */
static void expect_kind(tc_client *c, int kind) {
    uint64_t deadline = t_now_ms() + 10000;
    while (t_now_ms() < deadline) {
        tc_event *ev = NULL;
        tc_status s = tc_client_next_event(c, 1000, &ev);
        int got;
        if (s == TC_STATUS_TIMEOUT) continue;
        CHECK_OK(s);
        got = (int)tc_event_get_kind(ev);
        tc_event_free(ev);
        if (got == kind) return;
        if (got == TC_EVENT_KIND_DISCONNECTED) T_FAIL("disconnected while waiting for kind %d", kind);
    }
    T_FAIL("no event of kind %d", kind);
}

static void test_automatic_reconnect(void) {
    t_emulator emu = t_emulator_start_on("4321", 0);
    uint16_t port = emu.ws_port;
    tc_client_options *o = NULL;
    tc_client *c = NULL;
    tc_event *ev = NULL;
    int32_t state = -1;

    CHECK_OK(tc_client_options_new(&o));
    CHECK_OK(tc_client_options_set_ws_port(o, port));
    CHECK_OK(tc_client_options_set_pin(o, "4321"));
    CHECK_OK(tc_client_options_set_reconnect(o, 1, 0, 50, 200));
    CHECK_OK(tc_client_new(o, &c));
    CHECK_OK(tc_client_connect(c, T_LONG_MS));

    /* The room dies and comes back on the same port: the client rejoins by itself (the new
     * room does not know the old token, so the PIN is used again). */
    t_emulator_kill(&emu, SIGKILL);
    expect_kind(c, TC_EVENT_KIND_CONNECTION_LOST);
    emu = t_emulator_start_on("4321", port);
    expect_kind(c, TC_EVENT_KIND_RECONNECTED);
    CHECK(tc_client_is_connected(c) == 1);
    CHECK_OK(tc_client_get_app_state(c, T_LONG_MS, &state));
    CHECK(state == 3);
    CHECK_OK(tc_client_free(c));
    t_emulator_kill(&emu, SIGKILL);

    /* A room that stays dead: after two failed attempts, the final "disconnected". */
    emu = t_emulator_start_on(NULL, 0);
    CHECK_OK(tc_client_options_set_ws_port(o, emu.ws_port));
    CHECK_OK(tc_client_options_set_unsecured(o));
    CHECK_OK(tc_client_options_set_reconnect(o, 1, 2, 20, 40));
    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    t_emulator_kill(&emu, SIGKILL);
    expect_kind(c, TC_EVENT_KIND_CONNECTION_LOST);
    expect_kind(c, TC_EVENT_KIND_DISCONNECTED);
    CHECK_STATUS(tc_client_next_event(c, TC_WAIT_FOREVER, &ev), TC_STATUS_DISCONNECTED);
    CHECK_STATUS(tc_client_get_app_state(c, 1000, &state), TC_STATUS_DISCONNECTED);
    CHECK_OK(tc_client_free(c));
}

int main(void) {
    t_emulator emu = t_emulator_start("4321");
    tc_client_options *o = NULL;
    tc_conference_params p;
    tc_event *ev = NULL;
    char *reply = NULL;
    pthread_t t;
    tc_status s;
    int saw_disconnected = 0;

    memset(&g_out, 0, sizeof g_out);
    pthread_mutex_init(&g_out.mu, NULL);
    pthread_cond_init(&g_out.cv, NULL);
    g_out.json_status = g_out.conf_stage = g_out.conf_status = g_out.blocking_status = -1;

    CHECK_OK(tc_client_options_new(&o));
    CHECK_OK(tc_client_options_set_web_port(o, emu.web_port));
    CHECK_OK(tc_client_options_set_pin(o, "4321"));
    CHECK_OK(tc_client_new(o, &g_client));
    tc_client_options_free(o);
    CHECK_OK(tc_client_connect(g_client, T_LONG_MS));

    /* Frozen room: requests go out, nothing comes back. */
    t_emulator_kill(&emu, SIGSTOP);
    CHECK_STATUS(tc_client_request_json(g_client, "getAppState", NULL, 300, &reply), TC_STATUS_TIMEOUT);
    CHECK(reply == NULL);
    CHECK(strstr(t_last_error(), "getAppState") != NULL);

    /* Three calls in flight: blocking on another thread, JSON async, create-conference. */
    CHECK(pthread_create(&t, NULL, blocking_call, NULL) == 0);
    CHECK_OK(tc_client_request_json_async(g_client, "getTariffRestrictions", NULL, 30000, on_json, NULL));
    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Doomed";
    CHECK_OK(tc_create_conference(g_client, &p, 30000, on_conf, NULL));
    t_sleep_ms(200);

    /* The room dies mid-request. */
    t_emulator_kill(&emu, SIGKILL);
    pthread_join(t, NULL);
    CHECK(g_out.blocking_status == TC_STATUS_DISCONNECTED);
    wait_field(&g_out.json_status, T_LONG_MS);
    CHECK(g_out.json_status == TC_STATUS_DISCONNECTED);
    wait_field(&g_out.conf_stage, T_LONG_MS);
    CHECK(g_out.conf_stage == TC_CONFERENCE_STAGE_FAILED && g_out.conf_status == TC_STATUS_DISCONNECTED);

    /* The poll ends with the synthetic event, then says DISCONNECTED at once. */
    while ((s = tc_client_next_event(g_client, T_LONG_MS, &ev)) == TC_STATUS_OK) {
        if (tc_event_get_kind(ev) == TC_EVENT_KIND_DISCONNECTED) saw_disconnected = 1;
        tc_event_free(ev);
    }
    CHECK_STATUS(s, TC_STATUS_DISCONNECTED);
    CHECK(saw_disconnected);
    CHECK(tc_client_is_connected(g_client) == 0);
    CHECK_STATUS(tc_client_get_session_link(g_client, 1000, &reply), TC_STATUS_DISCONNECTED);
    CHECK_STATUS(tc_client_connect(g_client, 2000), TC_STATUS_CONNECTION);

    CHECK_OK(tc_client_free(g_client));
    test_automatic_reconnect();
    pthread_mutex_destroy(&g_out.mu);
    pthread_cond_destroy(&g_out.cv);
    CHECK_OK(tc_shutdown());
    printf("test_killed: ok\n");
    return 0;
}
