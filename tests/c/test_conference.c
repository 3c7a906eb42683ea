/* The headline scenario, callback style: tc_create_conference with invitees and the waiting
 * room on; its two stages (accepted, started); the invitees' answers as events on the
 * dispatcher thread; admitting them; a refusal with the room's words; free_user_data once. */
#include "common.h"

typedef struct app {
    t_log log;
    int freed;                 /* free_user_data calls, under log.mu */
    int lent_conference_ok;    /* the conferenceCreated event lent a matching tc_conference */
    tc_conference *started;    /* copy kept from the STARTED stage */
    char refused_json[512];
} app;

static void on_event(void *user_data, const tc_event *ev) {
    app *a = (app *)user_data;
    if (tc_event_get_kind(ev) == TC_EVENT_KIND_CONFERENCE_CREATED) {
        const tc_conference *conf = tc_event_conference(ev);
        a->lent_conference_ok = conf != NULL && tc_event_conf_id(ev) != NULL &&
                                strcmp(tc_conference_id(conf), tc_event_conf_id(ev)) == 0;
    }
    if (tc_event_get_kind(ev) == TC_EVENT_KIND_NEW_PARTICIPANT) {
        const tc_participant *p = tc_event_participant(ev);
        CHECK(p != NULL);
        CHECK_STR(tc_participant_peer_id(p), tc_event_peer_id(ev));
    }
    t_log_event(&a->log, ev);
}

static void on_free(void *user_data) {
    app *a = (app *)user_data;
    pthread_mutex_lock(&a->log.mu);
    a->freed++;
    pthread_mutex_unlock(&a->log.mu);
}

static void on_conference(void *user_data, tc_conference_stage stage, tc_status status,
                          const tc_conference *conference, const char *json, const char *message) {
    app *a = (app *)user_data;
    t_entry e;
    memset(&e, 0, sizeof e);
    e.kind = -1;
    e.stage = (int)stage;
    e.status = (int)status;
    e.flag = -1;
    snprintf(e.name, sizeof e.name, "stage:%d", (int)stage);
    if (stage == TC_CONFERENCE_STAGE_STARTED) {
        CHECK(conference != NULL && status == TC_STATUS_OK);
        CHECK_OK(tc_conference_copy(conference, &a->started));
        t_copy(e.text, tc_conference_id(conference));
    } else {
        CHECK(conference == NULL);
        t_copy(e.text, message);
    }
    if (stage == TC_CONFERENCE_STAGE_REFUSED) {
        CHECK(json != NULL && message != NULL && status == TC_STATUS_REFUSED);
        snprintf(a->refused_json, sizeof a->refused_json, "%s", json);
        /* tc_last_error on the dispatcher thread tells the same story. */
        CHECK(strstr(t_last_error(), message) != NULL);
    }
    t_log_add(&a->log, &e);
}

int main(void) {
    app a;
    tc_client *c = NULL;
    tc_client_options *o = t_options(t_env("TC_PIN"));
    tc_conference_params p;
    const char *invite[] = {"alice@some.server", "bob@some.server", "mod@some.server",
                            "busy@some.server", "ghost@some.server"};
    int accepted, started, i, n;
    char alice[T_TEXT], bob[T_TEXT];
    const tc_conference *conf;

    memset(&a, 0, sizeof a);
    t_log_init(&a.log);

    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);
    /* Registered before connecting: nothing from the connection is missed. */
    CHECK_OK(tc_client_set_event_callback(c, on_event, &a, on_free));
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    CHECK_STATUS(tc_client_next_event(c, 0, NULL), TC_STATUS_NULL_POINTER);
    {
        tc_event *ev = NULL;
        CHECK_STATUS(tc_client_next_event(c, 0, &ev), TC_STATUS_BUSY); /* the callback has them */
    }

    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Weekly sync \xE2\x9C\x93";
    p.conf_type = TC_CONF_ROLE;
    p.invite_list = invite;
    p.invite_count = sizeof invite / sizeof invite[0];
    p.use_waiting_room = 1;
    p.auto_accept = 0;
    p.casters_count = 2;
    CHECK_OK(tc_create_conference(c, &p, T_LONG_MS, on_conference, &a));

    accepted = t_log_wait(&a.log, "stage:0", NULL, -1, T_LONG_MS);
    started = t_log_wait(&a.log, "stage:1", NULL, -1, T_LONG_MS);
    CHECK(accepted < started);
    conf = a.started;
    CHECK(conf != NULL);
    CHECK(strlen(tc_conference_id(conf)) > 0);
    CHECK_STR(tc_conference_title(conf), "Weekly sync \xE2\x9C\x93");
    CHECK(tc_conference_type(conf) == TC_CONF_ROLE);
    CHECK_STR(tc_conference_owner(conf), "room@some.server");
    CHECK(tc_conference_join_url(conf) != NULL && strncmp(tc_conference_join_url(conf), "http", 4) == 0);
    CHECK(tc_conference_waiting_room_enabled(conf) == 1);
    CHECK(tc_conference_max_participants(conf) == 900); /* role schema row for 2 podium seats */
    CHECK(tc_conference_max_podium(conf) == 2);
    CHECK(strstr(tc_conference_json(conf), "\"conferenceCreated\"") != NULL);

    /* The same start, as an event, with the conference lent by the event. */
    t_log_wait(&a.log, "conferenceCreated", NULL, -1, T_LONG_MS);
    CHECK(a.lent_conference_ok);

    /* Every invitee is invited; non-moderators join into the waiting room. */
    for (i = 0; i < 5; i++) t_log_wait(&a.log, "inviteSent", invite[i], -1, T_LONG_MS);
    n = t_log_wait(&a.log, "participantPresenceInWaitingRoomChanged", "alice@some.server/", 1, T_LONG_MS);
    snprintf(alice, sizeof alice, "%s", a.log.e[n].peer);
    n = t_log_wait(&a.log, "participantPresenceInWaitingRoomChanged", "bob@some.server/", 1, T_LONG_MS);
    snprintf(bob, sizeof bob, "%s", a.log.e[n].peer);
    t_log_wait(&a.log, "newParticipantInConference", "alice@some.server/", 1, T_LONG_MS);
    t_log_wait(&a.log, "newParticipantInConference", "mod@some.server/", 0, T_LONG_MS);
    t_log_wait(&a.log, "rejectReceived", "busy@some.server", 2, T_LONG_MS);

    /* Admit both; each admission is announced. */
    CHECK_OK(tc_client_set_participant_presence_in_waiting_room(c, alice, 0, 0, NULL));
    CHECK_OK(tc_client_set_participant_presence_in_waiting_room(c, bob, 0, 0, NULL));
    t_log_wait(&a.log, "participantPresenceInWaitingRoomChanged", alice, 0, T_LONG_MS);
    t_log_wait(&a.log, "participantPresenceInWaitingRoomChanged", bob, 0, T_LONG_MS);

    /* A second conference is refused, and the callback gets the room's text and reply. */
    CHECK_OK(tc_create_conference(c, &p, T_LONG_MS, on_conference, &a));
    n = t_log_wait(&a.log, "stage:2", NULL, -1, T_LONG_MS);
    CHECK(a.log.e[n].status == TC_STATUS_REFUSED);
    CHECK(strlen(a.log.e[n].text) > 0);
    CHECK(strstr(a.refused_json, "\"result\":false") != NULL);

    CHECK_OK(tc_client_hang_up(c, 1, 0));
    t_log_wait(&a.log, "conferenceDeleted", NULL, -1, T_LONG_MS);

    /* Every callback ran on one library thread, never this one. */
    CHECK(a.log.callback_thread_consistent);
    CHECK(!pthread_equal(a.log.callback_thread, pthread_self()));

    CHECK(a.freed == 0);
    CHECK_OK(tc_client_free(c));
    CHECK(a.freed == 1);
    n = t_log_count(&a.log);
    t_sleep_ms(100);
    CHECK(t_log_count(&a.log) == n); /* nothing after free */

    tc_conference_free(a.started);
    t_log_destroy(&a.log);
    CHECK_OK(tc_shutdown());
    printf("test_conference: ok\n");
    return 0;
}
