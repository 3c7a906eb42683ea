/* Every command of PROTOCOL.md §7 through its own function, and the JSON channel (blocking,
 * asynchronous, and the refused reply), against the emulator. */
#include "common.h"

typedef struct json_result {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
    int status;
    char reply[1024];
    char message[256];
    pthread_t thread;
} json_result;

static void on_json(void *user_data, tc_status status, const char *reply_json, const char *error_message) {
    json_result *r = (json_result *)user_data;
    pthread_mutex_lock(&r->mu);
    r->status = (int)status;
    snprintf(r->reply, sizeof r->reply, "%s", reply_json ? reply_json : "");
    snprintf(r->message, sizeof r->message, "%s", error_message ? error_message : "");
    r->thread = pthread_self();
    r->done = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void wait_json(json_result *r) {
    uint64_t deadline = t_now_ms() + T_LONG_MS;
    pthread_mutex_lock(&r->mu);
    while (!r->done && t_now_ms() < deadline) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&r->cv, &r->mu, &ts);
    }
    pthread_mutex_unlock(&r->mu);
    CHECK(r->done);
}

static void json_init(json_result *r) {
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
}

static void json_destroy(json_result *r) {
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
}

static void test_queries(tc_client *c) {
    int32_t app_state = -1;
    char *json = NULL;
    CHECK_OK(tc_client_get_app_state(c, TC_TIMEOUT_DEFAULT, &app_state));
    CHECK(app_state == 3);
    CHECK_OK(tc_client_get_tariff_restrictions(c, T_LONG_MS, &json));
    CHECK(strstr(json, "\"roleSchema\"") != NULL && strstr(json, "\"createMulti\":true") != NULL);
    tc_string_free(json);
    CHECK_OK(tc_client_get_system_info(c, T_LONG_MS, &json));
    CHECK(strstr(json, "\"authInfo\"") != NULL);
    tc_string_free(json);
    CHECK_OK(tc_client_get_conferences(c, T_LONG_MS, &json));
    CHECK(json[0] == '[');
    tc_string_free(json);
    CHECK_OK(tc_client_get_login(c, T_LONG_MS, &json));
    CHECK(strstr(json, "\"result\":true") != NULL);
    tc_string_free(json);
    CHECK_OK(tc_client_state_json(c, &json));
    CHECK(strstr(json, "\"connected\":true") != NULL);
    tc_string_free(json);
}

static void test_conference_commands(tc_client *c) {
    tc_conference_params p;
    tc_conference *conf = NULL;
    tc_participant_list *list = NULL;
    const tc_participant *alice = NULL;
    char *conf_id = NULL;
    char *link = NULL;
    char alice_id[256];
    const char *invite[] = {"alice@some.server"};
    size_t i;
    uint64_t deadline;

    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Commands";
    p.conf_type = TC_CONF_ROLE;
    p.invite_list = invite;
    p.invite_count = 1;
    p.casters_count = 0;
    p.use_waiting_room = 1;
    p.mute_mic_on_join = 1;
    CHECK_OK(tc_create_conference_wait(c, &p, T_LONG_MS, &conf));
    CHECK(tc_conference_id(conf) != NULL && tc_conference_id(conf)[0] != '\0');
    CHECK(tc_conference_type(conf) == TC_CONF_ROLE);
    CHECK(tc_conference_waiting_room_enabled(conf) == 1);

    /* A second conference while in one: the room refuses, with its own words. */
    CHECK_STATUS(tc_create_conference_wait(c, &p, T_LONG_MS, &conf), TC_STATUS_REFUSED);

    CHECK_OK(tc_client_get_session_link(c, 0, &link));
    CHECK_STR(link, tc_conference_join_url(conf));
    tc_string_free(link);

    /* Wait for alice to be in (the waiting room), by polling the participant list. */
    deadline = t_now_ms() + T_LONG_MS;
    alice_id[0] = '\0';
    while (alice_id[0] == '\0' && t_now_ms() < deadline) {
        CHECK_OK(tc_client_get_conference_participants(c, 0, &list));
        CHECK_STR(tc_participant_list_conf_id(list), tc_conference_id(conf));
        for (i = 0; i < tc_participant_list_len(list); i++) {
            const tc_participant *pp = tc_participant_list_get(list, i);
            if (strncmp(tc_participant_peer_id(pp), "alice@some.server/", 18) == 0) {
                alice = pp;
                snprintf(alice_id, sizeof alice_id, "%s", tc_participant_peer_id(pp));
                CHECK(tc_participant_in_waiting_room(alice) == 1);
                CHECK_STR(tc_participant_display_name(alice), "alice");
                CHECK(tc_participant_role(alice) == 1);
                CHECK(strstr(tc_participant_json(alice), "\"mic\":1") != NULL);
            }
        }
        CHECK(tc_participant_list_get(list, tc_participant_list_len(list)) == NULL);
        tc_participant_list_free(list);
        list = NULL;
        if (alice_id[0] == '\0') t_sleep_ms(20);
    }
    CHECK(alice_id[0] != '\0');

    CHECK_OK(tc_client_set_participant_presence_in_waiting_room(c, alice_id, 0, 0, &conf_id));
    CHECK_STR(conf_id, tc_conference_id(conf));
    tc_string_free(conf_id);
    CHECK_OK(tc_client_set_participant_presence_in_waiting_room(c, alice_id, 1, 0, NULL));
    CHECK_OK(tc_client_set_waiting_room_state(c, 0, 1, 0, &conf_id));
    CHECK_STR(conf_id, tc_conference_id(conf));
    tc_string_free(conf_id);
    CHECK_OK(tc_client_set_waiting_room_state(c, 1, 0, 0, NULL));

    CHECK_OK(tc_client_invite_to_conference(c, "bob@some.server", 0));
    CHECK_STATUS(tc_client_invite_to_conference(c, "bob@some.server", 0), TC_STATUS_REFUSED);
    CHECK(strstr(t_last_error(), "already") != NULL);

    /* Smart meeting needs 4 podium seats: this conference has the schema's first row (1). */
    CHECK_STATUS(tc_client_change_conference_mode(c, 1, 0), TC_STATUS_REFUSED);
    CHECK_OK(tc_client_change_conference_mode(c, 0, 0));

    /* The emulator answers join requests only when someone asked (emulator.requestJoin). */
    CHECK_OK(tc_client_request_json(c, "emulator.requestJoin", "{\"peerId\":\"carol@some.server\"}", 0, &link));
    tc_string_free(link);
    CHECK_OK(tc_client_request_json(c, "emulator.requestJoin", "{\"peerId\":\"dave@some.server\"}", 0, &link));
    tc_string_free(link);
    CHECK_OK(tc_client_accept_peer(c, "carol@some.server", 0));
    CHECK_OK(tc_client_reject_peer(c, "dave@some.server", 0));
    CHECK_OK(tc_client_kick_peer(c, alice_id, 0));
    CHECK_STATUS(tc_client_kick_peer(c, alice_id, 0), TC_STATUS_REFUSED);

    CHECK_OK(tc_client_hang_up(c, 1, 0));
    CHECK_STATUS(tc_client_hang_up(c, 1, 0), TC_STATUS_REFUSED);
    tc_conference_free(conf);

    /* The call commands validate and are accepted: accept and reject answer calls made to the
     * room (emulator.incomingCall), which the emulator takes only in appState 3. */
    CHECK_OK(tc_client_call(c, "bob@some.server", NULL, 0));
    CHECK_OK(tc_client_hang_up(c, 0, 0));
    CHECK_OK(tc_client_request_json(c, "emulator.incomingCall", "{\"peerId\":\"alice@some.server\"}", 0, &link));
    tc_string_free(link);
    CHECK_OK(tc_client_accept(c, 0));
    CHECK_OK(tc_client_hang_up(c, 0, 0));
    CHECK_OK(tc_client_request_json(c, "emulator.incomingCall", "{\"peerId\":\"bob@some.server\"}", 0, &link));
    tc_string_free(link);
    CHECK_OK(tc_client_reject(c, 0));
}

static void test_server_commands(tc_client *c) {
    int32_t app_state = -1;
    CHECK_OK(tc_client_logout(c, 0));
    CHECK_OK(tc_client_get_app_state(c, 0, &app_state));
    CHECK(app_state == 2);
    CHECK_OK(tc_client_login(c, "room", "secret", 0, 0));
    CHECK_OK(tc_client_get_app_state(c, 0, &app_state));
    CHECK(app_state == 3);
    /* connectToServer is for states 0..2: refused while logged in. */
    CHECK_STATUS(tc_client_connect_to_server(c, "some.server", 0, 0), TC_STATUS_REFUSED);
}

static void test_json_channel(tc_client *c) {
    char *reply = NULL;
    json_result r;

    CHECK_OK(tc_client_request_json(c, "getAppState", NULL, 0, &reply));
    CHECK(strstr(reply, "\"appState\":3") != NULL);
    tc_string_free(reply);
    reply = NULL;

    CHECK_OK(tc_client_request_json(c, "getConferences", "{}", T_LONG_MS, &reply));
    tc_string_free(reply);
    reply = NULL;

    /* Refused: the status says so, and the room's reply is still handed over. */
    CHECK_STATUS(tc_client_request_json(c, "noSuchMethod", "{\"x\":1}", 0, &reply), TC_STATUS_REFUSED);
    CHECK(reply != NULL && strstr(reply, "\"result\":false") != NULL);
    CHECK(strstr(t_last_error(), "noSuchMethod") != NULL);
    tc_string_free(reply);
    reply = NULL;

    /* Asynchronous: the outcome arrives on the dispatcher thread. */
    json_init(&r);
    CHECK_OK(tc_client_request_json_async(c, "getTariffRestrictions", NULL, 0, on_json, &r));
    wait_json(&r);
    CHECK(r.status == TC_STATUS_OK);
    CHECK(strstr(r.reply, "\"tariffName\"") != NULL);
    CHECK(r.message[0] == '\0');
    CHECK(!pthread_equal(r.thread, pthread_self()));
    json_destroy(&r);

    /* Refused asynchronously (no conference): the reply and the room's words come along. */
    json_init(&r);
    CHECK_OK(tc_client_request_json_async(c, "setWaitingRoomState", "{\"enable\":true}", 0, on_json, &r));
    wait_json(&r);
    CHECK(r.status == TC_STATUS_REFUSED);
    CHECK(strstr(r.reply, "\"result\":false") != NULL);
    CHECK(r.message[0] != '\0');
    json_destroy(&r);
}

int main(void) {
    tc_client *c = t_connect();
    test_queries(c);
    test_conference_commands(c);
    test_server_commands(c);
    test_json_channel(c);
    CHECK_OK(tc_client_free(c));
    CHECK_OK(tc_shutdown());
    printf("test_commands: ok\n");
    return 0;
}
