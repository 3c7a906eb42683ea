/* Room control of PROTOCOL.md §10 through the generated tc_client_<name> functions, against the
 * emulator: calls both ways (and auto-answer), the podium as owner and as participant, remote
 * and own media, devices, layout/monitors/window, PTZ, chat and app messages, content, the
 * server link and login, the HTTP token, and frames. Every section follows the room by poll:
 * it records every event it takes, waits for the ones an action causes (never a sleep), checks
 * their kinds, fields and order, and reads tc_client_state_json after the stateChanged event
 * that reports the change. The runner's emulator gives each connection a room of its own
 * (isolated_rooms), so every section starts from a fresh room. */
#include "common.h"

/* ---- a record of every event a client took ------------------------------------------------ */

typedef struct rec {
    tc_client *c;
    tc_event **e;
    int n, cap;
} rec;

static int near(double a, double b) {
    return a - b < 1e-9 && b - a < 1e-9;
}

static void rec_open(rec *r) {
    memset(r, 0, sizeof *r);
    r->c = t_connect();
}

static void rec_close(rec *r) {
    int i;
    for (i = 0; i < r->n; i++) tc_event_free(r->e[i]);
    free(r->e);
    CHECK_OK(tc_client_free(r->c));
    memset(r, 0, sizeof *r);
}

/* Takes one event, waiting until `deadline` at most; 0 when none came. */
static int rec_pull(rec *r, uint64_t deadline) {
    tc_event *ev = NULL;
    uint64_t now = t_now_ms();
    tc_status s;
    if (now >= deadline) return 0;
    s = tc_client_next_event(r->c, (uint32_t)(deadline - now), &ev);
    if (s == TC_STATUS_TIMEOUT) return 0;
    CHECK_OK(s);
    if (r->n == r->cap) {
        tc_event **grown;
        r->cap = r->cap ? 2 * r->cap : 64;
        grown = (tc_event **)realloc(r->e, (size_t)r->cap * sizeof *grown);
        if (grown == NULL) T_FAIL("out of memory");
        r->e = grown;
    }
    r->e[r->n++] = ev;
    return 1;
}

static int ev_is(const tc_event *ev, const char *name, const char *needle) {
    return strcmp(tc_event_name(ev), name) == 0 && (needle == NULL || strstr(tc_event_json(ev), needle) != NULL);
}

/* Index of the first event from `from` on named `name` whose JSON contains `needle` (NULL:
 * any), or -1. Does not wait. */
static int rec_find(const rec *r, int from, const char *name, const char *needle) {
    int i;
    for (i = from; i < r->n; i++)
        if (ev_is(r->e[i], name, needle)) return i;
    return -1;
}

static void rec_dump(const rec *r, int from) {
    int i;
    for (i = from; i < r->n; i++) fprintf(stderr, "  [%d] %s\n", i, tc_event_json(r->e[i]));
}

/* Like rec_find, waiting (bounded) for the event to come. Fails the test if it does not. */
#define WAIT(r, from, name, needle) rec_wait((r), (from), (name), (needle), __LINE__)
static int rec_wait(rec *r, int from, const char *name, const char *needle, int line) {
    uint64_t deadline = t_now_ms() + T_LONG_MS;
    int scanned = from;
    for (;;) {
        int i = rec_find(r, scanned, name, needle);
        if (i >= 0) return i;
        scanned = r->n;
        if (!rec_pull(r, deadline)) {
            fprintf(stderr, "events from %d on:\n", from);
            rec_dump(r, from);
            fprintf(stderr, "%s:%d: no '%s' event containing '%s' within %d ms\n", __FILE__, line, name,
                    needle ? needle : "", T_LONG_MS);
            exit(1);
        }
    }
}

static char *state_of(rec *r) {
    char *json = NULL;
    CHECK_OK(tc_client_state_json(r->c, &json));
    return json;
}

/* Waits for a stateChanged event (from `from` on) whose `changed` names `aspect`, after which
 * the state JSON contains `needle` (`present`) or no longer does (!`present`). Returns the index
 * of that stateChanged event. */
#define WAIT_STATE(r, from, aspect, needle) rec_wait_state((r), (from), (aspect), (needle), 1, __LINE__)
#define WAIT_STATE_NOT(r, from, aspect, needle) rec_wait_state((r), (from), (aspect), (needle), 0, __LINE__)
static int rec_wait_state(rec *r, int from, const char *aspect, const char *needle, int present, int line) {
    char quoted[64];
    int i = from;
    uint64_t deadline = t_now_ms() + T_LONG_MS;
    snprintf(quoted, sizeof quoted, "\"%s\"", aspect);
    for (;;) {
        char *json;
        int has;
        i = rec_wait(r, i, "stateChanged", quoted, line);
        CHECK(tc_event_get_kind(r->e[i]) == TC_EVENT_KIND_STATE_CHANGED);
        json = state_of(r);
        has = strstr(json, needle) != NULL;
        if (has == present) {
            tc_string_free(json);
            return i;
        }
        if (t_now_ms() >= deadline) {
            fprintf(stderr, "%s:%d: the state %s '%s' after the last '%s' change:\n%s\n", __FILE__, line,
                    present ? "lacks" : "still has", needle, aspect, json);
            exit(1);
        }
        tc_string_free(json);
        i++;
    }
}

/* Fails unless the state JSON (now) contains `needle`, or lacks it. */
#define CHECK_STATE(r, needle) check_state((r), (needle), 1, __LINE__)
#define CHECK_STATE_NOT(r, needle) check_state((r), (needle), 0, __LINE__)
static void check_state(rec *r, const char *needle, int present, int line) {
    char *json = state_of(r);
    if ((strstr(json, needle) != NULL) != present) {
        fprintf(stderr, "%s:%d: the state %s '%s':\n%s\n", __FILE__, line, present ? "lacks" : "has", needle, json);
        exit(1);
    }
    tc_string_free(json);
}

/* Fails unless `json` contains `needle`. */
#define CHECK_JSON(json, needle) check_json((json), (needle), __LINE__)
static void check_json(const char *json, const char *needle, int line) {
    if (json == NULL || strstr(json, needle) == NULL) {
        fprintf(stderr, "%s:%d: no '%s' in %s\n", __FILE__, line, needle, json ? json : "(null)");
        exit(1);
    }
}

/* The integer after `key` (`"name":`) in the first place after `anchor` in `json`. */
static long long json_int_after(const char *json, const char *anchor, const char *key) {
    const char *p = strstr(json, anchor);
    if (p != NULL) p = strstr(p, key);
    if (p == NULL) T_FAIL("no %s after %s in %s", key, anchor, json);
    return strtoll(p + strlen(key), NULL, 10);
}

/* ---- typed event fields -------------------------------------------------------------------- */

static int64_t ev_int(const tc_event *ev, const char *field) {
    int64_t v = 0;
    if (tc_event_get_int(ev, field, &v) != TC_STATUS_OK) T_FAIL("no integer '%s' in %s", field, tc_event_json(ev));
    return v;
}

static int ev_bool(const tc_event *ev, const char *field) {
    int v = -1;
    if (tc_event_get_bool(ev, field, &v) != TC_STATUS_OK) T_FAIL("no boolean '%s' in %s", field, tc_event_json(ev));
    return v;
}

static const char *ev_str(const tc_event *ev, const char *field) {
    static char buf[512];
    if (tc_event_get_string(ev, field, buf, sizeof buf, NULL) != TC_STATUS_OK)
        T_FAIL("no string '%s' in %s", field, tc_event_json(ev));
    return buf;
}

#define CHECK_KIND(r, i, kind)                                                                     \
    do {                                                                                           \
        const tc_event *ev_ = (r)->e[(i)];                                                         \
        if (tc_event_get_kind(ev_) != (kind))                                                      \
            T_FAIL("event %s has kind %d, expected %s (%d)", tc_event_json(ev_),                   \
                   (int)tc_event_get_kind(ev_), #kind, (int)(kind));                               \
    } while (0)

/* A refusal by the room: TC_STATUS_REFUSED, the room's words in tc_last_error. */
#define CHECK_REFUSED(expr, words)                                                                 \
    do {                                                                                           \
        CHECK_STATUS(expr, TC_STATUS_REFUSED);                                                     \
        if (strstr(t_last_error(), (words)) == NULL)                                               \
            T_FAIL("%s: the error '%s' does not say '%s'", #expr, t_last_error(), (words));        \
    } while (0)

/* A test-only action of the emulator (PROTOCOL.md §10 world around the room). */
static void emu(rec *r, const char *action, const char *params) {
    char method[64];
    char *reply = NULL;
    snprintf(method, sizeof method, "emulator.%s", action);
    CHECK_OK(tc_client_request_json(r->c, method, params, 0, &reply));
    CHECK_JSON(reply, "\"result\":true");
    tc_string_free(reply);
}

static void copy_id(char *dst, size_t len, const char *src) {
    CHECK(src != NULL);
    CHECK(strlen(src) < len);
    snprintf(dst, len, "%s", src);
}

/* Waits for the call or conference to start: conferenceCreated, and appState 5 in the state
 * after its stateChanged. */
static void wait_in_call(rec *r, int from) {
    WAIT(r, from, "conferenceCreated", NULL);
    WAIT_STATE(r, from, "app_state", "\"in_call\":true");
}

/* Hangs up and waits for appStateChanged 6, 3 and conferenceDeleted, in that order. */
static void hang_up(rec *r, int for_all) {
    int m = r->n, a6, a3, del;
    CHECK_OK(tc_client_hang_up(r->c, for_all, 0));
    a6 = WAIT(r, m, "appStateChanged", "\"appState\":6");
    a3 = WAIT(r, a6, "appStateChanged", "\"appState\":3");
    del = WAIT(r, m, "conferenceDeleted", NULL);
    CHECK_KIND(r, del, TC_EVENT_KIND_CONFERENCE_DELETED);
    CHECK(a6 < a3 && a3 < del);
    WAIT_STATE(r, m, "app_state", "\"in_call\":false");
    CHECK_STATE(r, "\"conference\":null");
}

/* ---- calls out ------------------------------------------------------------------------------ */

static void test_calls_out(void) {
    rec r;
    int m, sent, created, i;
    char conf_id[128];
    char *json = NULL;
    const char *more[] = {"bob@some.server"};
    rec_open(&r);

    /* alice answers: inviteSent, appState 4, then conferenceCreated (confType 0, same confId). */
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "alice@some.server", NULL, 0));
    sent = WAIT(&r, m, "inviteSent", "\"alice@some.server\"");
    CHECK_KIND(&r, sent, TC_EVENT_KIND_INVITE_SENT);
    CHECK(ev_int(r.e[sent], "confType") == 0);
    CHECK_STR(ev_str(r.e[sent], "peerDn"), "alice");
    copy_id(conf_id, sizeof conf_id, tc_event_conf_id(r.e[sent]));
    i = WAIT(&r, m, "appStateChanged", "\"appState\":4");
    CHECK(sent < i);
    created = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK(i < created);
    CHECK_KIND(&r, created, TC_EVENT_KIND_CONFERENCE_CREATED);
    CHECK(ev_int(r.e[created], "confType") == 0);
    CHECK_STR(tc_event_peer_id(r.e[created]), "alice@some.server");
    CHECK_STR(tc_event_conf_id(r.e[created]), conf_id);
    CHECK_STR(ev_str(r.e[created], "conferenceOwner"), "room@some.server");
    CHECK(tc_conference_type(tc_event_conference(r.e[created])) == TC_CONF_UNKNOWN);
    wait_in_call(&r, m);
    CHECK_STATE(&r, "\"app_state\":5");
    CHECK_STATE(&r, "\"peer_id\":\"alice@some.server\"");
    CHECK_OK(tc_client_get_video_matrix(r.c, 0, &json));
    CHECK_JSON(json, "\"peerId\":\"alice@some.server/");
    tc_string_free(json);

    /* Busy in a call: a second call is refused, in the room's words. */
    CHECK_REFUSED(tc_client_call(r.c, "bob@some.server", NULL, 0), "appState 5");
    hang_up(&r, 0);

    /* busy@ declines with cause 2; the room is back to normal. */
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "busy@some.server", NULL, 0));
    i = WAIT(&r, m, "rejectReceived", "\"busy@some.server\"");
    CHECK_KIND(&r, i, TC_EVENT_KIND_REJECT_RECEIVED);
    CHECK(ev_int(r.e[i], "cause") == 2);
    WAIT(&r, i, "appStateChanged", "\"appState\":3");
    WAIT_STATE(&r, i, "app_state", "\"app_state\":3");
    CHECK_STATE(&r, "\"in_call\":false");

    /* ghost@ never answers: hanging up while calling stops the ringing (side 0: us). */
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "ghost@some.server", NULL, 0));
    WAIT(&r, m, "appStateChanged", "\"appState\":4");
    CHECK_OK(tc_client_hang_up(r.c, 0, 0));
    i = WAIT(&r, m, "stopCalling", "\"ghost@some.server\"");
    CHECK_KIND(&r, i, TC_EVENT_KIND_STOP_CALLING);
    CHECK(ev_int(r.e[i], "side") == 0);
    WAIT(&r, i, "appStateChanged", "\"appState\":3");

    /* Refusals: the room itself (the room's words), an empty peer (checked before sending). */
    CHECK_REFUSED(tc_client_call(r.c, "room@some.server", NULL, 0), "yourself");
    CHECK_STATUS(tc_client_call(r.c, "", NULL, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_call(r.c, NULL, NULL, 0), TC_STATUS_NULL_POINTER);

    /* A conference by its id, with its PIN: missing (cause 12), wrong (13), right. */
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "board", NULL, 0));
    i = WAIT(&r, m, "rejectReceived", NULL);
    CHECK(ev_int(r.e[i], "cause") == 12);
    WAIT(&r, i, "appStateChanged", "\"appState\":3");
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "board", "0000", 0));
    i = WAIT(&r, m, "rejectReceived", NULL);
    CHECK(ev_int(r.e[i], "cause") == 13);
    WAIT(&r, i, "appStateChanged", "\"appState\":3");
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "board", "2468", 0));
    i = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK(ev_int(r.e[i], "confType") == 3);
    CHECK(tc_conference_type(tc_event_conference(r.e[i])) == TC_CONF_ROLE);
    CHECK_STR(tc_conference_owner(tc_event_conference(r.e[i])), "boss@some.server");
    CHECK_STR(tc_conference_title(tc_event_conference(r.e[i])), "Board meeting");
    wait_in_call(&r, m);
    hang_up(&r, 0);

    /* A p2p call expanded into a conference: conferenceCreated (symmetric, ours), then the
     * invitation and the invitee joining. */
    m = r.n;
    CHECK_OK(tc_client_call(r.c, "alice@some.server", NULL, 0));
    wait_in_call(&r, m);
    CHECK_REFUSED(tc_client_invite_to_conference(r.c, "bob@some.server", 0), "p2p");
    m = r.n;
    CHECK_OK(tc_client_expand_call_to_multi(r.c, "Bigger", more, 1, 0));
    created = WAIT(&r, m, "conferenceCreated", "\"confTitle\":\"Bigger\"");
    CHECK(ev_int(r.e[created], "confType") == 1);
    CHECK_STR(ev_str(r.e[created], "conferenceOwner"), "room@some.server");
    CHECK_STR(ev_str(r.e[created], "confTitle"), "Bigger");
    sent = WAIT(&r, created, "inviteSent", "\"bob@some.server\"");
    i = WAIT(&r, sent, "newParticipantInConference", "\"bob@some.server/");
    CHECK_KIND(&r, i, TC_EVENT_KIND_NEW_PARTICIPANT);
    WAIT_STATE(&r, created, "conference", "\"title\":\"Bigger\"");
    CHECK_REFUSED(tc_client_expand_call_to_multi(r.c, "Again", NULL, 0, 0), "p2p call");
    hang_up(&r, 1);

    /* The call history, newest first: the conference, the call expanded, board, ... */
    CHECK_OK(tc_client_get_call_history(r.c, 3, 0, &json));
    CHECK_JSON(json, "\"calls\":[");
    CHECK_JSON(json, "\"confTitle\":\"Bigger\"");
    CHECK_JSON(json, "\"peerId\":\"alice@some.server\"");
    CHECK(strstr(json, "\"busy@some.server\"") == NULL); /* at most 3 */
    CHECK(strstr(json, "\"confTitle\":\"Bigger\"") < strstr(json, "\"peerId\":\"alice@some.server\""));
    tc_string_free(json);
    CHECK_STATUS(tc_client_get_call_history(r.c, 0, 0, &json), TC_STATUS_INVALID_ARGUMENT);

    rec_close(&r);
}

/* ---- calls in ------------------------------------------------------------------------------- */

static void test_calls_in(void) {
    rec r;
    int m, i, j;
    char *json = NULL;
    rec_open(&r);

    /* alice calls: inviteReceived (its own kind), incoming_call in the state, then accept. */
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"alice@some.server\"}");
    i = WAIT(&r, m, "inviteReceived", "\"alice@some.server\"");
    CHECK_KIND(&r, i, TC_EVENT_KIND_INVITE_RECEIVED);
    CHECK(ev_int(r.e[i], "type") == 0);
    CHECK_STR(ev_str(r.e[i], "peerDn"), "alice");
    WAIT(&r, i, "appStateChanged", "\"appState\":4");
    WAIT_STATE(&r, m, "incoming", "\"incoming_call\":{\"peer_id\":\"alice@some.server\"");
    CHECK_STATE(&r, "\"app_state\":4");
    m = r.n;
    CHECK_OK(tc_client_accept(r.c, 0));
    i = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK(ev_int(r.e[i], "confType") == 0);
    CHECK_STR(tc_event_peer_id(r.e[i]), "alice@some.server");
    CHECK_STR(ev_str(r.e[i], "conferenceOwner"), "alice@some.server");
    wait_in_call(&r, m);
    CHECK_STATE(&r, "\"incoming_call\":null");
    /* Nothing rings any more. */
    CHECK_REFUSED(tc_client_accept(r.c, 0), "no incoming call");

    /* alice hangs up. */
    m = r.n;
    emu(&r, "remoteHangUp", "{}");
    WAIT(&r, m, "conferenceDeleted", NULL);
    WAIT_STATE(&r, m, "app_state", "\"in_call\":false");

    /* bob calls and is declined: rejectSent (cause 0), then appState 3. */
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"bob\"}");
    WAIT(&r, m, "inviteReceived", "\"bob@some.server\"");
    WAIT_STATE(&r, m, "incoming", "\"incoming_call\":{\"peer_id\":\"bob@some.server\"");
    m = r.n;
    CHECK_OK(tc_client_reject(r.c, 0));
    i = WAIT(&r, m, "rejectSent", "\"bob@some.server\"");
    CHECK_KIND(&r, i, TC_EVENT_KIND_REJECT_SENT);
    CHECK(ev_int(r.e[i], "cause") == 0);
    j = WAIT(&r, m, "appStateChanged", "\"appState\":3");
    CHECK(i < j);
    WAIT_STATE(&r, m, "incoming", "\"incoming_call\":null");
    CHECK_STATE(&r, "\"in_call\":false");

    /* mod calls and gives up: stopCalling (side 1: them); a missed call in the history. */
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"mod@some.server\"}");
    WAIT(&r, m, "inviteReceived", "\"mod@some.server\"");
    emu(&r, "cancelCall", "{\"peerId\":\"mod@some.server\"}");
    i = WAIT(&r, m, "stopCalling", "\"mod@some.server\"");
    CHECK(ev_int(r.e[i], "side") == 1);
    WAIT(&r, i, "appStateChanged", "\"appState\":3");
    WAIT_STATE(&r, i, "incoming", "\"incoming_call\":null");
    CHECK_OK(tc_client_get_call_history(r.c, 1, 0, &json));
    CHECK_JSON(json, "\"peerId\":\"mod@some.server\"");
    CHECK_JSON(json, "\"type\":2");
    CHECK_JSON(json, "\"viewed\":false");
    tc_string_free(json);

    /* Nothing incoming: accept and reject are refused with the room's words. */
    CHECK_REFUSED(tc_client_accept(r.c, 0), "no incoming call");
    CHECK_REFUSED(tc_client_reject(r.c, 0), "no incoming call");

    /* An invitation into mod's role conference: type 3 with its title and id. */
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"mod@some.server\",\"confType\":3,\"title\":\"Town hall\"}");
    i = WAIT(&r, m, "inviteReceived", "\"mod@some.server\"");
    CHECK(ev_int(r.e[i], "type") == 3);
    CHECK_STR(ev_str(r.e[i], "confTitle"), "Town hall");
    CHECK(tc_event_conf_id(r.e[i]) != NULL);
    WAIT_STATE(&r, m, "incoming", "\"title\":\"Town hall\"");
    m = r.n;
    CHECK_OK(tc_client_accept(r.c, 0));
    i = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK(ev_int(r.e[i], "confType") == 3);
    CHECK_STR(ev_str(r.e[i], "conferenceOwner"), "mod@some.server");
    CHECK_STR(ev_str(r.e[i], "confTitle"), "Town hall");
    wait_in_call(&r, m);

    /* The owner mutes our microphone, then our camera: the owner's notification, then the
     * mute itself; the state follows. */
    m = r.n;
    emu(&r, "muteByOwner", "{\"mic\":true}");
    i = WAIT(&r, m, "micStateChangedByConferenceOwner", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_MIC_MUTED_BY_OWNER);
    CHECK(ev_bool(r.e[i], "mute") == 1);
    j = WAIT(&r, m, "audioCapturerMute", NULL);
    CHECK(i < j);
    WAIT_STATE(&r, i, "own_media", "\"mic_muted\":true");
    m = r.n;
    emu(&r, "muteByOwner", "{\"camera\":true}");
    i = WAIT(&r, m, "cameraStateChangedByConferenceOwner", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_CAMERA_MUTED_BY_OWNER);
    j = WAIT(&r, m, "videoCapturerMute", NULL);
    CHECK(i < j);
    WAIT_STATE(&r, i, "own_media", "\"camera_muted\":true");

    /* The podium as a participant: the owner invites us; we accept (the invitation goes,
     * reason 0, then we are seated), leave, are invited again and decline (reason 1). */
    m = r.n;
    emu(&r, "invitePodium", NULL);
    i = WAIT(&r, m, "roleEventOccured", "\"role\":4");
    CHECK_KIND(&r, i, TC_EVENT_KIND_ROLE_EVENT_OCCURED);
    CHECK(ev_int(r.e[i], "type") == 0);
    CHECK(strncmp(tc_event_peer_id(r.e[i]), "room@some.server/", 17) == 0);
    WAIT_STATE(&r, i, "podium", "\"podium_invitation\":{");
    m = r.n;
    CHECK_OK(tc_client_accept_invitation_to_podium(r.c, 0));
    i = WAIT(&r, m, "incomingPodiumInvitationRemoved", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_PODIUM_INVITATION_REMOVED);
    CHECK(ev_int(r.e[i], "reason") == 0);
    j = WAIT(&r, m, "roleEventOccured", "\"broadcast\":true");
    CHECK(i < j);
    CHECK(ev_int(r.e[j], "role") == 1 && ev_int(r.e[j], "type") == 1);
    WAIT_STATE(&r, i, "podium", "\"podium_invitation\":null");
    CHECK_REFUSED(tc_client_accept_invitation_to_podium(r.c, 0), "no podium invitation");
    m = r.n;
    CHECK_OK(tc_client_leave_podium(r.c, 0));
    i = WAIT(&r, m, "roleEventOccured", NULL);
    CHECK(ev_int(r.e[i], "type") == 3 && ev_bool(r.e[i], "broadcast") == 0);
    CHECK_REFUSED(tc_client_leave_podium(r.c, 0), "not on the podium");
    m = r.n;
    emu(&r, "invitePodium", NULL);
    WAIT_STATE(&r, m, "podium", "\"podium_invitation\":{");
    m = r.n;
    CHECK_OK(tc_client_reject_invitation_to_podium(r.c, 0));
    i = WAIT(&r, m, "incomingPodiumInvitationRemoved", NULL);
    CHECK(ev_int(r.e[i], "reason") == 1);
    WAIT_STATE(&r, i, "podium", "\"podium_invitation\":null");
    CHECK_REFUSED(tc_client_reject_invitation_to_podium(r.c, 0), "no podium invitation");
    /* Asking for a seat: the request, then the owner's answer (mod accepts). */
    m = r.n;
    CHECK_OK(tc_client_goto_podium(r.c, 0));
    i = WAIT(&r, m, "roleEventOccured", "\"role\":3");
    j = WAIT(&r, i + 1, "roleEventOccured", NULL);
    CHECK(ev_int(r.e[j], "role") == 1 && ev_int(r.e[j], "type") == 1 && ev_int(r.e[j], "result") == 0);
    CHECK(ev_bool(r.e[j], "broadcast") == 1);
    /* Not ours: the owner's commands are refused. */
    CHECK_REFUSED(tc_client_kick_from_podium(r.c, "mod@some.server", 0), "owner");
    CHECK_REFUSED(tc_client_hang_up(r.c, 1, 0), "only the owner");
    hang_up(&r, 0);

    rec_close(&r);
}

/* ---- auto-answer ---------------------------------------------------------------------------- */

static void test_auto_answer(void) {
    rec r;
    int m, i;
    const char *only[] = {"alice"}; /* a bare name matches any server */
    rec_open(&r);

    /* A list: alice is accepted, bob rejected. */
    CHECK_OK(tc_client_auto_answer(r.c, TC_AUTO_ANSWER_LIST, only, 1));
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"bob@some.server\"}");
    i = WAIT(&r, m, "rejectSent", "\"bob@some.server\"");
    WAIT(&r, i, "appStateChanged", "\"appState\":3");
    CHECK(rec_find(&r, m, "conferenceCreated", NULL) < 0);
    WAIT_STATE(&r, i, "app_state", "\"app_state\":3");
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"alice@some.server\"}");
    i = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK_STR(tc_event_peer_id(r.e[i]), "alice@some.server");
    CHECK(rec_find(&r, m, "rejectSent", NULL) < 0);
    wait_in_call(&r, m);
    hang_up(&r, 0);

    /* Nobody: every call is rejected. */
    CHECK_OK(tc_client_auto_answer(r.c, TC_AUTO_ANSWER_NOBODY, NULL, 0));
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"alice@some.server\"}");
    i = WAIT(&r, m, "rejectSent", "\"alice@some.server\"");
    WAIT(&r, i, "appStateChanged", "\"appState\":3");

    /* All: bob is accepted now. */
    CHECK_OK(tc_client_auto_answer(r.c, TC_AUTO_ANSWER_ALL, NULL, 0));
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"bob@some.server\"}");
    i = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK_STR(tc_event_peer_id(r.e[i]), "bob@some.server");
    wait_in_call(&r, m);
    hang_up(&r, 0);

    /* The setting belongs to the client, not the connection: made while disconnected, it
     * answers on the next one. */
    CHECK_OK(tc_client_close(r.c));
    CHECK_STATUS(tc_client_accept(r.c, 0), TC_STATUS_DISCONNECTED);
    CHECK_OK(tc_client_auto_answer(r.c, TC_AUTO_ANSWER_LIST, only, 1));
    CHECK_OK(tc_client_connect(r.c, T_LONG_MS));
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"alice@some.server\"}");
    i = WAIT(&r, m, "conferenceCreated", NULL);
    CHECK_STR(tc_event_peer_id(r.e[i]), "alice@some.server");
    wait_in_call(&r, m);
    hang_up(&r, 0);

    /* Off: the call waits for us (our own reject proves nobody answered it). */
    CHECK_OK(tc_client_auto_answer(r.c, TC_AUTO_ANSWER_OFF, NULL, 0));
    m = r.n;
    emu(&r, "incomingCall", "{\"peerId\":\"alice@some.server\"}");
    WAIT_STATE(&r, m, "incoming", "\"incoming_call\":{\"peer_id\":\"alice@some.server\"");
    CHECK_OK(tc_client_reject(r.c, 0));
    WAIT(&r, m, "rejectSent", "\"alice@some.server\"");
    CHECK(rec_find(&r, m, "conferenceCreated", NULL) < 0);

    /* Bad arguments. */
    CHECK_STATUS(tc_client_auto_answer(r.c, 99, NULL, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_auto_answer(r.c, TC_AUTO_ANSWER_LIST, NULL, 1), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_auto_answer(NULL, TC_AUTO_ANSWER_ALL, NULL, 0), TC_STATUS_NULL_POINTER);

    rec_close(&r);
}

/* ---- our own role conference: podium, remote media, join requests, chat, layout ------------- */

typedef struct ids {
    char alice[128], bob[128], shy[128];
} ids;

static void test_podium_owner(rec *r, const ids *p) {
    int m, i, j;

    /* shy declines the podium (result 3, no seat), alice accepts; then it is full (owner +
     * alice). */
    m = r->n;
    CHECK_OK(tc_client_invite_to_podium(r->c, p->shy, 0));
    i = WAIT(r, m, "roleEventOccured", p->shy);
    CHECK_KIND(r, i, TC_EVENT_KIND_ROLE_EVENT_OCCURED);
    CHECK(ev_int(r->e[i], "result") == 3 && ev_bool(r->e[i], "broadcast") == 0);
    m = r->n;
    CHECK_OK(tc_client_invite_to_podium(r->c, p->alice, 0));
    i = WAIT(r, m, "roleEventOccured", p->alice);
    CHECK(ev_int(r->e[i], "role") == 1 && ev_int(r->e[i], "type") == 1 && ev_int(r->e[i], "result") == 0);
    CHECK(ev_bool(r->e[i], "broadcast") == 1);
    CHECK_REFUSED(tc_client_invite_to_podium(r->c, p->bob, 0), "podium is full");
    CHECK_REFUSED(tc_client_invite_to_podium(r->c, p->alice, 0), "already on the podium");

    /* Kicked: type 3, off the podium. */
    m = r->n;
    CHECK_OK(tc_client_kick_from_podium(r->c, p->alice, 0));
    i = WAIT(r, m, "roleEventOccured", p->alice);
    CHECK(ev_int(r->e[i], "type") == 3 && ev_bool(r->e[i], "broadcast") == 0);
    CHECK_REFUSED(tc_client_kick_from_podium(r->c, p->alice, 0), "not on the podium");

    /* bob asks for the podium (role 3, type 0; a request in the state) and is let up. */
    m = r->n;
    emu(r, "requestPodium", "{\"peerId\":\"bob@some.server\"}");
    i = WAIT(r, m, "roleEventOccured", p->bob);
    CHECK(ev_int(r->e[i], "role") == 3 && ev_int(r->e[i], "type") == 0);
    WAIT_STATE(r, i, "podium", "\"podium_requests\":[{");
    m = r->n;
    CHECK_OK(tc_client_accept_request_to_podium(r->c, p->bob, 0));
    i = WAIT(r, m, "incomingRequestToPodiumAnswered", p->bob);
    CHECK_KIND(r, i, TC_EVENT_KIND_PODIUM_REQUEST_ANSWERED);
    CHECK(ev_bool(r->e[i], "allow") == 1);
    j = WAIT(r, m, "roleEventOccured", p->bob);
    CHECK(i < j);
    CHECK(ev_int(r->e[j], "role") == 1 && ev_bool(r->e[j], "broadcast") == 1);
    WAIT_STATE(r, i, "podium", "\"podium_requests\":[]");

    /* alice asks and is turned down: answered with allow false, and no seat. */
    m = r->n;
    emu(r, "requestPodium", "{\"peerId\":\"alice@some.server\"}");
    WAIT_STATE(r, m, "podium", "\"podium_requests\":[{");
    m = r->n;
    CHECK_OK(tc_client_reject_request_to_podium(r->c, p->alice, 0));
    i = WAIT(r, m, "incomingRequestToPodiumAnswered", p->alice);
    CHECK(ev_bool(r->e[i], "allow") == 0);
    WAIT_STATE(r, i, "podium", "\"podium_requests\":[]");
    CHECK(rec_find(r, m, "roleEventOccured", "\"broadcast\":true") < 0);
    CHECK_REFUSED(tc_client_accept_request_to_podium(r->c, p->alice, 0), "has not asked");
    CHECK_STATUS(tc_client_invite_to_podium(r->c, "", 0), TC_STATUS_INVALID_ARGUMENT);
}

static void test_remote_media(rec *r, const ids *p) {
    int m, i;
    char needle[192];

    m = r->n;
    CHECK_OK(tc_client_turn_remote_mic(r->c, p->alice, 0, 0));
    i = WAIT(r, m, "deviceStatusReceived", p->alice);
    CHECK_KIND(r, i, TC_EVENT_KIND_DEVICE_STATUS_RECEIVED);
    CHECK(ev_int(r->e[i], "mic") == 1 && ev_int(r->e[i], "video") == 2);
    snprintf(needle, sizeof needle, "{\"peer_id\":\"%s\",\"display_name\":\"alice\",\"mic\":1,\"video\":2", p->alice);
    WAIT_STATE(r, i, "participants", needle);
    m = r->n;
    CHECK_OK(tc_client_turn_remote_camera(r->c, p->alice, 0, 0));
    i = WAIT(r, m, "deviceStatusReceived", p->alice);
    CHECK(ev_int(r->e[i], "mic") == 1 && ev_int(r->e[i], "video") == 1);
    snprintf(needle, sizeof needle, "{\"peer_id\":\"%s\",\"display_name\":\"alice\",\"mic\":1,\"video\":1", p->alice);
    WAIT_STATE(r, i, "participants", needle);
    m = r->n;
    CHECK_OK(tc_client_turn_remote_mic(r->c, p->alice, 1, 0));
    i = WAIT(r, m, "deviceStatusReceived", p->alice);
    CHECK(ev_int(r->e[i], "mic") == 2);
    /* The speaker: answered, no notification is documented. */
    CHECK_OK(tc_client_turn_remote_speaker(r->c, p->alice, 0, 0));
    CHECK_REFUSED(tc_client_turn_remote_mic(r->c, "nobody@some.server/1", 0, 0), "nobody@some.server/1");
}

static void test_join_requests(rec *r) {
    int m, i, j;
    char carol[128];
    char *json = NULL;

    /* carol asks to join: requestInviteReceived, a join request in the state; let in. */
    m = r->n;
    emu(r, "requestJoin", "{\"peerId\":\"carol@some.server\"}");
    i = WAIT(r, m, "requestInviteReceived", "\"carol@some.server/");
    CHECK_KIND(r, i, TC_EVENT_KIND_REQUEST_INVITE_RECEIVED);
    copy_id(carol, sizeof carol, tc_event_peer_id(r->e[i]));
    WAIT_STATE(r, i, "incoming", "\"join_requests\":[{\"peer_id\":\"carol@some.server/");
    m = r->n;
    CHECK_OK(tc_client_accept_peer(r->c, carol, 0));
    i = WAIT(r, m, "newParticipantInConference", carol);
    j = WAIT(r, m, "peerAccepted", carol);
    CHECK_KIND(r, j, TC_EVENT_KIND_PEER_ACCEPTED);
    CHECK(i < j);
    WAIT_STATE(r, m, "incoming", "\"join_requests\":[]");
    CHECK_REFUSED(tc_client_accept_peer(r->c, carol, 0), "no join request");

    /* dave asks and is turned away: rejectSent. */
    m = r->n;
    emu(r, "requestJoin", "{\"peerId\":\"dave@some.server\"}");
    WAIT(r, m, "requestInviteReceived", "\"dave@some.server/");
    m = r->n;
    CHECK_OK(tc_client_reject_peer(r->c, "dave@some.server", 0));
    i = WAIT(r, m, "rejectSent", "\"dave@some.server/");
    CHECK(ev_int(r->e[i], "cause") == 0);

    /* carol is removed again. */
    m = r->n;
    CHECK_OK(tc_client_kick_peer(r->c, carol, 0));
    i = WAIT(r, m, "participantLeftConference", carol);
    CHECK_KIND(r, i, TC_EVENT_KIND_PARTICIPANT_LEFT);
    CHECK_OK(tc_client_get_video_matrix(r->c, 0, &json));
    CHECK(strstr(json, carol) == NULL);
    tc_string_free(json);
}

static void test_group_chat(rec *r, const ids *p) {
    int m, i;

    m = r->n;
    CHECK_OK(tc_client_send_group_message(r->c, "Hello, everyone", 0));
    i = WAIT(r, m, "groupChatMessageSent", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_GROUP_CHAT_MESSAGE_SENT);
    CHECK_STR(ev_str(r->e[i], "message"), "Hello, everyone");
    CHECK(tc_event_conf_id(r->e[i]) != NULL);
    m = r->n;
    emu(r, "userMessage", "{\"peerId\":\"alice@some.server\",\"message\":\"Hi all\",\"group\":true}");
    i = WAIT(r, m, "incomingGroupChatMessage", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_INCOMING_GROUP_CHAT_MESSAGE);
    CHECK_STR(ev_str(r->e[i], "message"), "Hi all");
    CHECK(strncmp(tc_event_peer_id(r->e[i]), "alice@some.server", 17) == 0);
    m = r->n;
    CHECK_OK(tc_client_send_command(r->c, p->bob, "{\"raise\":\"hand\"}", 0));
    i = WAIT(r, m, "commandSent", p->bob);
    CHECK_KIND(r, i, TC_EVENT_KIND_COMMAND_SENT);
    CHECK_STR(ev_str(r->e[i], "command"), "{\"raise\":\"hand\"}");
    m = r->n;
    emu(r, "userCommand", "{\"peerId\":\"bob@some.server\",\"command\":\"lights off\"}");
    i = WAIT(r, m, "commandReceived", "\"bob@some.server");
    CHECK_KIND(r, i, TC_EVENT_KIND_COMMAND_RECEIVED);
    CHECK_STR(ev_str(r->e[i], "command"), "lights off");
}

static void test_layout(rec *r, const ids *p) {
    int m, i;
    char *json = NULL;
    char needle[192];
    const char *order[2];

    CHECK_OK(tc_client_get_video_matrix(r->c, 0, &json));
    CHECK_JSON(json, "\"peerId\":\"#self:0\"");
    CHECK_JSON(json, p->alice);
    CHECK_JSON(json, p->bob);
    CHECK_JSON(json, "\"mainWindowWidth\":1920");
    tc_string_free(json);

    /* The layout type. */
    m = r->n;
    CHECK_OK(tc_client_change_video_matrix_type(r->c, 4, 0));
    i = WAIT(r, m, "videoMatrixChanged", "\"matrixType\":4");
    CHECK_KIND(r, i, TC_EVENT_KIND_VIDEO_MATRIX_CHANGED);
    CHECK(ev_int(r->e[i], "matrixType") == 4);
    WAIT_STATE(r, i, "layout", "\"video_matrix\":{\"matrix_type\":4");

    /* The order of the slots: bob first, then the room. */
    order[0] = p->bob;
    order[1] = "#self:0";
    m = r->n;
    CHECK_OK(tc_client_change_video_matrix(r->c, 2, order, 2, 0));
    i = WAIT(r, m, "videoMatrixChanged", "\"matrixType\":2");
    CHECK(ev_int(r->e[i], "matrixType") == 2);
    snprintf(needle, sizeof needle, "\"participants\":[{\"peer_id\":\"%s\"", p->bob);
    WAIT_STATE(r, i, "layout", needle);
    m = r->n;
    CHECK_OK(tc_client_swap_video_slots(r->c, p->bob, "#self:0", 0));
    i = WAIT(r, m, "videoMatrixChanged", NULL);
    WAIT_STATE(r, i, "layout", "\"participants\":[{\"peer_id\":\"#self:0\"");
    CHECK_REFUSED(tc_client_swap_video_slots(r->c, p->bob, p->bob, 0), "same slot");

    /* Hide and show a slot. */
    m = r->n;
    CHECK_OK(tc_client_hide_video_slot(r->c, p->bob, 0));
    i = WAIT(r, m, "videoMatrixChanged", NULL);
    snprintf(needle, sizeof needle, "\"hidden_slots\":[\"%s\"]", p->bob);
    WAIT_STATE(r, i, "layout", needle);
    m = r->n;
    CHECK_OK(tc_client_show_video_slot(r->c, p->bob, 0));
    i = WAIT(r, m, "videoMatrixChanged", NULL);
    WAIT_STATE(r, i, "layout", "\"hidden_slots\":[]");

    /* Monitors: alice on monitor 1 (not 0: the main window's), then back. */
    CHECK_OK(tc_client_get_monitors_info(r->c, 0, &json));
    CHECK_JSON(json, "\"currentMonitor\":0");
    CHECK_JSON(json, "\"name\":\"HDMI-2\"");
    tc_string_free(json);
    CHECK_REFUSED(tc_client_move_video_slot_to_monitor(r->c, p->alice, 0, 0), "main window");
    m = r->n;
    CHECK_OK(tc_client_move_video_slot_to_monitor(r->c, p->alice, 1, 0));
    i = WAIT(r, m, "videoSlotMovedToMonitor", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_VIDEO_SLOT_MOVED_TO_MONITOR);
    snprintf(needle, sizeof needle, "\"extern_slots\":[{\"call_id\":\"%s\"", p->alice);
    WAIT_STATE(r, i, "layout", needle);
    CHECK_REFUSED(tc_client_move_video_slot_to_monitor(r->c, p->bob, 1, 0), "already shows");
    m = r->n;
    CHECK_OK(tc_client_remove_video_slot_from_monitor(r->c, 1, 0));
    i = WAIT(r, m, "videoSlotRemovedFromMonitor", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_VIDEO_SLOT_REMOVED_FROM_MONITOR);
    CHECK(ev_int(r->e[i], "monitorIdx") == 1);
    CHECK_STR(tc_event_peer_id(r->e[i]), p->alice);
    m = r->n;
    CHECK_OK(tc_client_change_current_monitor(r->c, 1, 0));
    i = WAIT(r, m, "monitorsInfoUpdated", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_MONITORS_INFO_UPDATED);
    CHECK(ev_int(r->e[i], "currentMonitor") == 1);
    WAIT_STATE(r, i, "monitors", "\"current_monitor\":1");

    /* The window: maximized and on top, then back to normal (stayOnTop kept). */
    m = r->n;
    CHECK_OK(tc_client_change_window_state(r->c, 2, 1, 0));
    i = WAIT(r, m, "windowStateChanged", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_WINDOW_STATE_CHANGED);
    CHECK(ev_int(r->e[i], "windowState") == 2 && ev_bool(r->e[i], "stayOnTop") == 1);
    WAIT_STATE(r, i, "monitors", "\"window\":{\"window_state\":2,\"stay_on_top\":true");
    m = r->n;
    CHECK_OK(tc_client_change_window_state(r->c, 0, 0, 0));
    i = WAIT(r, m, "windowStateChanged", NULL);
    CHECK(ev_int(r->e[i], "windowState") == 0);
    WAIT_STATE(r, i, "monitors", "\"window\":{\"window_state\":0");

    /* Minimized, then restored: normal again. */
    m = r->n;
    CHECK_OK(tc_client_change_window_state(r->c, 1, 0, 0));
    i = WAIT(r, m, "windowStateChanged", NULL);
    CHECK(ev_int(r->e[i], "windowState") == 1);
    m = r->n;
    CHECK_OK(tc_client_restore_window(r->c, 0));
    i = WAIT(r, m, "windowStateChanged", NULL);
    CHECK(ev_int(r->e[i], "windowState") == 0 && ev_bool(r->e[i], "stayOnTop") == 0);
    WAIT_STATE(r, i, "monitors", "\"window\":{\"window_state\":0");
}

/* Frames of two slots differ; a kept frame survives its slot going away. */
static void test_frames_of_slots(rec *r, const ids *p) {
    size_t self_len = 0, len = 0, alice_len = 0;
    unsigned char *self_buf, *alice_buf;
    int m;

    CHECK_STATUS(tc_client_get_frame(r->c, "#self:0", 0, NULL, 0, &self_len), TC_STATUS_BUFFER_TOO_SMALL);
    self_buf = (unsigned char *)malloc(self_len);
    CHECK(self_buf != NULL);
    CHECK_OK(tc_client_get_frame(r->c, "#self:0", 0, self_buf, self_len, &len));
    CHECK(len == self_len);

    /* Size query for alice's slot, then alice leaves: the kept frame is still handed over. */
    CHECK_STATUS(tc_client_get_frame(r->c, p->alice, 0, NULL, 0, &alice_len), TC_STATUS_BUFFER_TOO_SMALL);
    m = r->n;
    emu(r, "remoteHangUp", "{\"peerId\":\"alice@some.server\"}");
    WAIT(r, m, "participantLeftConference", p->alice);
    alice_buf = (unsigned char *)malloc(alice_len);
    CHECK(alice_buf != NULL);
    CHECK_OK(tc_client_get_frame(r->c, p->alice, 0, alice_buf, alice_len, &len));
    CHECK(len == alice_len);
    CHECK(alice_buf[0] == 0xFF && alice_buf[1] == 0xD8);
    CHECK(alice_len != self_len || memcmp(alice_buf, self_buf, self_len) != 0);
    /* Fetched again, the slot is gone: the embedded server's 404, as a refusal. */
    CHECK_REFUSED(tc_client_get_frame(r->c, p->alice, 0, alice_buf, alice_len, &len), "404");
    free(self_buf);
    free(alice_buf);
}

static void test_own_conference(void) {
    rec r;
    tc_conference_params params;
    tc_conference *conf = NULL;
    const char *invite[] = {"alice@some.server", "bob@some.server", "shy@some.server"};
    ids p;
    int m, i;
    rec_open(&r);

    CHECK_OK(tc_conference_params_init(&params, sizeof params));
    params.title = "Podium";
    params.conf_type = TC_CONF_ROLE;
    params.invite_list = invite;
    params.invite_count = 3;
    params.casters_count = 2; /* the owner and one more */
    m = r.n;
    CHECK_OK(tc_create_conference_wait(r.c, &params, T_LONG_MS, &conf));
    CHECK(tc_conference_max_podium(conf) == 2);
    i = WAIT(&r, m, "newParticipantInConference", "\"alice@some.server/");
    copy_id(p.alice, sizeof p.alice, tc_event_peer_id(r.e[i]));
    i = WAIT(&r, m, "newParticipantInConference", "\"bob@some.server/");
    copy_id(p.bob, sizeof p.bob, tc_event_peer_id(r.e[i]));
    i = WAIT(&r, m, "newParticipantInConference", "\"shy@some.server/");
    copy_id(p.shy, sizeof p.shy, tc_event_peer_id(r.e[i]));
    CHECK_STATE(&r, p.shy);

    test_podium_owner(&r, &p);
    test_remote_media(&r, &p);
    test_join_requests(&r);
    test_group_chat(&r, &p);
    test_layout(&r, &p);
    test_frames_of_slots(&r, &p);

    hang_up(&r, 1);
    tc_conference_free(conf);
    rec_close(&r);
}

/* ---- own media and volume ------------------------------------------------------------------- */

typedef struct media_case {
    tc_status (*set)(const tc_client *, int, uint32_t);
    tc_status (*get)(const tc_client *, uint32_t, int *);
    const char *event;
    tc_event_kind kind;
    const char *on, *off; /* the state's field, muted and not */
} media_case;

static void test_own_media(void) {
    static const media_case cases[] = {
        {tc_client_set_mic_mute, tc_client_get_mic_mute, "audioCapturerMute", TC_EVENT_KIND_MIC_MUTE,
         "\"mic_muted\":true", "\"mic_muted\":false"},
        {tc_client_set_video_mute, tc_client_get_video_mute, "videoCapturerMute", TC_EVENT_KIND_CAMERA_MUTE,
         "\"camera_muted\":true", "\"camera_muted\":false"},
        {tc_client_set_audio_mute, tc_client_get_audio_mute, "audioRendererMute", TC_EVENT_KIND_SPEAKER_MUTE,
         "\"speaker_muted\":true", "\"speaker_muted\":false"},
    };
    rec r;
    size_t k;
    int m, i, s, mute;
    double volume = -1;
    char *json = NULL;
    rec_open(&r);

    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const media_case *mc = &cases[k];
        CHECK_STATE(&r, mc->off);
        mute = -1;
        CHECK_OK(mc->get(r.c, 0, &mute));
        CHECK(mute == 0);
        /* Muted: the room's notification, then stateChanged (after it), then the state. */
        m = r.n;
        CHECK_OK(mc->set(r.c, 1, 0));
        i = WAIT(&r, m, mc->event, NULL);
        CHECK_KIND(&r, i, mc->kind);
        CHECK(ev_bool(r.e[i], "mute") == 1);
        s = WAIT_STATE(&r, i, "own_media", mc->on);
        CHECK(i < s);
        CHECK_OK(mc->get(r.c, 0, &mute));
        CHECK(mute == 1);
        /* Again: the room notifies even when the value does not change. */
        m = r.n;
        CHECK_OK(mc->set(r.c, 1, 0));
        i = WAIT(&r, m, mc->event, NULL);
        CHECK(ev_bool(r.e[i], "mute") == 1);
        /* Unmuted. */
        m = r.n;
        CHECK_OK(mc->set(r.c, 0, 0));
        i = WAIT(&r, m, mc->event, NULL);
        CHECK(ev_bool(r.e[i], "mute") == 0);
        WAIT_STATE(&r, i, "own_media", mc->off);
        CHECK_OK(mc->get(r.c, 0, &mute));
        CHECK(mute == 0);
    }

    /* Volume: settingsChanged for audioPlayLevel, the state, the getter. */
    CHECK_OK(tc_client_get_volume(r.c, 0, &volume));
    CHECK(near(volume, 1.0));
    m = r.n;
    CHECK_OK(tc_client_set_volume(r.c, 0.25, 0));
    i = WAIT(&r, m, "settingsChanged", "\"audioPlayLevel\"");
    CHECK_KIND(&r, i, TC_EVENT_KIND_SETTINGS_CHANGED);
    CHECK_STR(ev_str(r.e[i], "value"), "0.25");
    WAIT_STATE(&r, i, "volume", "\"volume\":0.25");
    CHECK_OK(tc_client_get_volume(r.c, 0, &volume));
    CHECK(near(volume, 0.25));
    CHECK_OK(tc_client_get_settings(r.c, 0, &json));
    CHECK_JSON(json, "{\"name\":\"audioPlayLevel\",\"value\":0.25}");
    tc_string_free(json);
    /* Out of range: checked before sending. */
    CHECK_STATUS(tc_client_set_volume(r.c, 1.5, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_set_volume(r.c, -0.1, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_OK(tc_client_get_volume(r.c, 0, &volume));
    CHECK(near(volume, 0.25));

    /* Settings: one settingsChanged per setting, in name order; unknown names refused. */
    m = r.n;
    CHECK_OK(tc_client_set_settings(r.c, "{\"autoAllowPartToTakePodium\":true,\"agcEnable\":true}", 0));
    i = WAIT(&r, m, "settingsChanged", "\"agcEnable\"");
    s = WAIT(&r, m, "settingsChanged", "\"autoAllowPartToTakePodium\"");
    CHECK(i < s);
    CHECK(ev_bool(r.e[i], "value") == 1);
    CHECK_REFUSED(tc_client_set_settings(r.c, "{\"audioCapturerLevel\":0.5}", 0), "read-only");
    CHECK_REFUSED(tc_client_set_settings(r.c, "{\"noSuchSetting\":1}", 0), "noSuchSetting");
    CHECK_STATUS(tc_client_set_settings(r.c, "not json", 0), TC_STATUS_INVALID_ARGUMENT);

    rec_close(&r);
}

/* ---- devices -------------------------------------------------------------------------------- */

static void test_devices(void) {
    rec r;
    int m, i, j;
    char *json = NULL;
    rec_open(&r);

    CHECK_OK(tc_client_get_hardware(r.c, 0, &json));
    CHECK_JSON(json, "\"currentVideoCapturerName\":\"Logitech PTZ Pro 2\"");
    CHECK_JSON(json, "\"name\":\"HD Pro Webcam C920\"");
    CHECK_JSON(json, "\"currentAudioCapturerName\":\"Microphone (Jabra SPEAK 510)\"");
    CHECK_JSON(json, "\"DSCaptureList\":[");
    tc_string_free(json);
    CHECK_STATE(&r, "\"current_camera\":{\"name\":\"Logitech PTZ Pro 2\"");

    /* Another camera: hardwareChanged, then ptzControlsChanged for the new camera. */
    m = r.n;
    CHECK_OK(tc_client_set_video_capturer(r.c, "HD Pro Webcam C920", NULL, 0));
    i = WAIT(&r, m, "hardwareChanged", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_HARDWARE_CHANGED);
    CHECK_STR(ev_str(r.e[i], "currentVideoCapturerName"), "HD Pro Webcam C920");
    j = WAIT(&r, m, "ptzControlsChanged", NULL);
    CHECK(i < j);
    CHECK_STR(ev_str(r.e[j], "videoCapturerName"), "HD Pro Webcam C920");
    WAIT_STATE(&r, i, "devices", "\"current_camera\":{\"name\":\"HD Pro Webcam C920\"");
    WAIT_STATE(&r, j, "ptz", "\"camera_name\":\"HD Pro Webcam C920\"");

    /* Microphone (with its description) and speaker. */
    m = r.n;
    CHECK_OK(tc_client_set_audio_capturer(r.c, "Microphone (Realtek Audio)", "pci-0000-00-1f.3-in", 0));
    i = WAIT(&r, m, "hardwareChanged", NULL);
    CHECK_STR(ev_str(r.e[i], "currentAudioCapturerName"), "Microphone (Realtek Audio)");
    WAIT_STATE(&r, i, "devices", "\"current_microphone\":{\"name\":\"Microphone (Realtek Audio)\"");
    m = r.n;
    CHECK_OK(tc_client_set_audio_renderer(r.c, "HDMI audio (LG TV)", NULL, 0));
    i = WAIT(&r, m, "hardwareChanged", NULL);
    CHECK_STR(ev_str(r.e[i], "currentAudioRendererName"), "HDMI audio (LG TV)");
    WAIT_STATE(&r, i, "devices", "\"current_speaker\":{\"name\":\"HDMI audio (LG TV)\"");
    CHECK_REFUSED(tc_client_set_audio_capturer(r.c, "No such microphone", NULL, 0), "No such microphone");
    CHECK_REFUSED(tc_client_set_audio_capturer(r.c, "Microphone (Realtek Audio)", "wrong-id", 0), "wrong-id");
    CHECK_STATUS(tc_client_set_audio_renderer(r.c, "", NULL, 0), TC_STATUS_INVALID_ARGUMENT);

    /* Plugged and unplugged: hardwareChanged, and the state's list of devices. */
    m = r.n;
    emu(&r, "plugDevice", "{\"kind\":\"microphone\",\"name\":\"USB Mic X\"}");
    i = WAIT(&r, m, "hardwareChanged", "USB Mic X");
    WAIT_STATE(&r, i, "devices", "\"name\":\"USB Mic X\"");
    m = r.n;
    emu(&r, "unplugDevice", "{\"name\":\"USB Mic X\"}");
    i = WAIT(&r, m, "hardwareChanged", NULL);
    CHECK(strstr(tc_event_json(r.e[i]), "USB Mic X") == NULL);
    WAIT_STATE_NOT(&r, i, "devices", "USB Mic X");
    /* The current camera unplugged: the other takes over, PTZ follows. */
    m = r.n;
    emu(&r, "unplugDevice", "{\"name\":\"HD Pro Webcam C920\"}");
    i = WAIT(&r, m, "hardwareChanged", NULL);
    CHECK_STR(ev_str(r.e[i], "currentVideoCapturerName"), "Logitech PTZ Pro 2");
    j = WAIT(&r, m, "ptzControlsChanged", NULL);
    CHECK(i < j);
    WAIT_STATE(&r, i, "devices", "\"current_camera\":{\"name\":\"Logitech PTZ Pro 2\"");
    CHECK_REFUSED(tc_client_set_video_capturer(r.c, "HD Pro Webcam C920", NULL, 0), "HD Pro Webcam C920");

    /* No camera at all: PTZ unsupported, moves refused; then the camera again. */
    m = r.n;
    CHECK_OK(tc_client_set_video_capturer(r.c, "none", NULL, 0));
    j = WAIT(&r, m, "ptzControlsChanged", NULL);
    WAIT_STATE(&r, j, "ptz", "\"ptz\":{\"pan\":{\"support\":false");
    CHECK_REFUSED(tc_client_ptz_left(r.c, 0), "no camera");
    m = r.n;
    CHECK_OK(tc_client_set_video_capturer(r.c, "Logitech PTZ Pro 2", "usb-046d-0853", 0));
    j = WAIT(&r, m, "ptzControlsChanged", NULL);
    WAIT_STATE(&r, j, "ptz", "\"ptz\":{\"pan\":{\"support\":true");

    rec_close(&r);
}

/* ---- PTZ ------------------------------------------------------------------------------------ */

typedef struct ptz_move {
    tc_status (*move)(const tc_client *, uint32_t);
    const char *axis;
    long long want;
} ptz_move;

/* After a command: its ptzControlsChanged, and the state's current value of `axis` (after the
 * stateChanged that reports it when the value `changes`; none comes when it does not). */
static void check_ptz(rec *r, int from, const char *axis, long long want, int changes) {
    char anchor[32], needle[96];
    int i = WAIT(r, from, "ptzControlsChanged", NULL);
    CHECK_KIND(r, i, TC_EVENT_KIND_PTZ_CONTROLS_CHANGED);
    snprintf(anchor, sizeof anchor, "\"%s\":{", axis);
    if (json_int_after(tc_event_json(r->e[i]), anchor, "\"currentValue\":") != want)
        T_FAIL("%s is not %lld in %s", axis, want, tc_event_json(r->e[i]));
    snprintf(needle, sizeof needle, "\"%s\":{\"support\":true,", axis);
    if (changes) WAIT_STATE(r, i, "ptz", needle);
    {
        char *json = state_of(r);
        long long now = json_int_after(json, needle, "\"current\":");
        tc_string_free(json);
        if (now != want) T_FAIL("the state's %s is %lld, expected %lld", axis, now, want);
    }
}

static void test_ptz(void) {
    static const ptz_move moves[] = {
        {tc_client_ptz_left, "pan", -10},    {tc_client_ptz_right, "pan", 0},  {tc_client_ptz_right, "pan", 10},
        {tc_client_ptz_up, "tilt", 10},      {tc_client_ptz_down, "tilt", 0},  {tc_client_ptz_zoom_inc, "zoom", 150},
        {tc_client_ptz_zoom_dec, "zoom", 100},
    };
    rec r;
    size_t k;
    int m, i;
    char *json = NULL;
    rec_open(&r);

    CHECK_OK(tc_client_get_ptz_controls(r.c, 0, &json));
    CHECK(json_int_after(json, "\"pan\":{", "\"minValue\":") == -100);
    CHECK(json_int_after(json, "\"pan\":{", "\"maxValue\":") == 100);
    CHECK(json_int_after(json, "\"zoom\":{", "\"minValue\":") == 100);
    CHECK(json_int_after(json, "\"zoom\":{", "\"maxValue\":") == 400);
    CHECK_JSON(json, "\"videoCapturerName\":\"Logitech PTZ Pro 2\"");
    tc_string_free(json);

    for (k = 0; k < sizeof moves / sizeof moves[0]; k++) {
        m = r.n;
        CHECK_OK(moves[k].move(r.c, 0));
        check_ptz(&r, m, moves[k].axis, moves[k].want, 1);
    }
    /* ptzStop: answered, nothing else (moves are single steps). */
    CHECK_OK(tc_client_ptz_stop(r.c, 0));

    /* Positions; at the limit a move is clamped (and still notified). */
    m = r.n;
    CHECK_OK(tc_client_set_pan_pos(r.c, 100, 0));
    check_ptz(&r, m, "pan", 100, 1);
    m = r.n;
    CHECK_OK(tc_client_ptz_right(r.c, 0));
    check_ptz(&r, m, "pan", 100, 0);
    m = r.n;
    CHECK_OK(tc_client_set_tilt_pos(r.c, -100, 0));
    check_ptz(&r, m, "tilt", -100, 1);
    m = r.n;
    CHECK_OK(tc_client_set_zoom_pos(r.c, 250, 0));
    check_ptz(&r, m, "zoom", 250, 1);

    /* Out of the known range: refused by the library before anything is sent. The next
     * command's ptzControlsChanged is the first one after the refusals. */
    m = r.n;
    CHECK_STATUS(tc_client_set_pan_pos(r.c, 101, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(t_last_error(), "range") != NULL);
    CHECK_STATUS(tc_client_set_tilt_pos(r.c, -110, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_set_zoom_pos(r.c, 50, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(t_last_error(), "100") != NULL && strstr(t_last_error(), "400") != NULL);
    CHECK_OK(tc_client_set_zoom_pos(r.c, 300, 0));
    i = WAIT(&r, m, "ptzControlsChanged", NULL);
    CHECK(json_int_after(tc_event_json(r.e[i]), "\"zoom\":{", "\"currentValue\":") == 300);
    CHECK(json_int_after(tc_event_json(r.e[i]), "\"pan\":{", "\"currentValue\":") == 100);
    CHECK(json_int_after(tc_event_json(r.e[i]), "\"tilt\":{", "\"currentValue\":") == -100);

    /* Defaults. */
    m = r.n;
    CHECK_OK(tc_client_set_ptz_defaults(r.c, 0));
    i = WAIT(&r, m, "ptzControlsChanged", NULL);
    CHECK(json_int_after(tc_event_json(r.e[i]), "\"pan\":{", "\"currentValue\":") == 0);
    CHECK(json_int_after(tc_event_json(r.e[i]), "\"tilt\":{", "\"currentValue\":") == 0);
    CHECK(json_int_after(tc_event_json(r.e[i]), "\"zoom\":{", "\"currentValue\":") == 100);
    WAIT_STATE(&r, i, "ptz", "\"zoom\":{\"support\":true,\"continuous\":false,\"min\":100,\"max\":400,\"current\":100");

    rec_close(&r);
}

/* ---- chat, app messages, content ------------------------------------------------------------ */

static void test_chat_and_content(void) {
    rec r;
    int m, i, j;
    rec_open(&r);

    /* Chat outside any call: sent (to alice's CallId), and a message from alice. */
    m = r.n;
    CHECK_OK(tc_client_send_message(r.c, "alice", "Hello, Alice", 0));
    i = WAIT(&r, m, "chatMessageSent", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_CHAT_MESSAGE_SENT);
    CHECK_STR(tc_event_peer_id(r.e[i]), "alice@some.server");
    CHECK_STR(ev_str(r.e[i], "message"), "Hello, Alice");
    m = r.n;
    emu(&r, "userMessage", "{\"peerId\":\"alice@some.server\",\"message\":\"Hi, room \\u00e9\"}");
    i = WAIT(&r, m, "incomingChatMessage", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_INCOMING_CHAT_MESSAGE);
    CHECK_STR(tc_event_peer_id(r.e[i]), "alice@some.server");
    CHECK_STR(ev_str(r.e[i], "peerDn"), "alice");
    CHECK_STR(ev_str(r.e[i], "message"), "Hi, room \xc3\xa9");
    CHECK_REFUSED(tc_client_send_message(r.c, "room@some.server", "me", 0), "itself");
    CHECK_REFUSED(tc_client_send_group_message(r.c, "nobody here", 0), "not in a conference");
    CHECK_STATUS(tc_client_send_message(r.c, "", "x", 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_send_message(r.c, "alice", "\xff", 0), TC_STATUS_INVALID_UTF8);

    /* myEvent: to every connection of the room, ours included. */
    m = r.n;
    CHECK_OK(tc_client_fire_my_event(r.c, "{\"scene\":\"lecture\"}", 0));
    i = WAIT(&r, m, "myEvent", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_MY_EVENT);
    CHECK_STR(ev_str(r.e[i], "data"), "{\"scene\":\"lecture\"}");

    /* Content: dsStarted then appStateChanged (sharing running); another source stops the
     * first; stop. */
    m = r.n;
    CHECK_OK(tc_client_start_capture(r.c, 1, 0));
    i = WAIT(&r, m, "dsStarted", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_CONTENT_STARTED);
    CHECK(ev_int(r.e[i], "captureId") == 1);
    CHECK_STR(ev_str(r.e[i], "name"), "Desktop 1");
    j = WAIT(&r, m, "appStateChanged", "\"running\":true");
    CHECK(i < j);
    WAIT_STATE(&r, i, "content", "\"content\":{\"capture_id\":1,\"name\":\"Desktop 1\"");
    m = r.n;
    CHECK_OK(tc_client_start_capture(r.c, 132268, 0));
    i = WAIT(&r, m, "dsStopped", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_CONTENT_STOPPED);
    CHECK(ev_int(r.e[i], "captureId") == 1);
    j = WAIT(&r, m, "dsStarted", NULL);
    CHECK(i < j);
    CHECK(ev_int(r.e[j], "captureId") == 132268);
    WAIT_STATE(&r, j, "content", "\"content\":{\"capture_id\":132268");
    m = r.n;
    CHECK_OK(tc_client_stop_capture(r.c, 0));
    i = WAIT(&r, m, "dsStopped", NULL);
    CHECK(ev_int(r.e[i], "captureId") == 132268);
    WAIT(&r, i, "appStateChanged", "\"running\":false");
    WAIT_STATE(&r, i, "content", "\"content\":null");
    CHECK_REFUSED(tc_client_start_capture(r.c, 999, 0), "999");

    rec_close(&r);
}

/* ---- server link, login, HTTP token --------------------------------------------------------- */

static void test_server_and_login(void) {
    rec r;
    int m, i, j, k;
    char *json = NULL, *token1 = NULL, *token2 = NULL;
    rec_open(&r);

    CHECK_OK(tc_client_get_login(r.c, 0, &json));
    CHECK_JSON(json, "\"isLoggedIn\":true");
    CHECK_JSON(json, "\"peerId\":\"room@some.server\"");
    CHECK_JSON(json, "\"peerDn\":\"Room\"");
    tc_string_free(json);
    CHECK_OK(tc_client_get_connected(r.c, 0, &json));
    CHECK_JSON(json, "\"state\":2");
    CHECK_JSON(json, "\"server\":\"some.server\"");
    tc_string_free(json);
    CHECK_STATE(&r, "\"server_state\":2");

    /* The HTTP token: a fresh one each time. */
    CHECK_OK(tc_client_get_token_for_http_server(r.c, 0, &token1));
    CHECK_OK(tc_client_get_token_for_http_server(r.c, 0, &token2));
    CHECK(token1[0] != '\0' && token2[0] != '\0');
    CHECK(strcmp(token1, token2) != 0);
    tc_string_free(token1);
    tc_string_free(token2);

    /* The server link drops: serverDisconnected, then appState 0; logged out. */
    m = r.n;
    emu(&r, "dropServer", NULL);
    i = WAIT(&r, m, "serverDisconnected", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_SERVER_DISCONNECTED);
    j = WAIT(&r, m, "appStateChanged", "\"appState\":0");
    CHECK(i < j);
    WAIT_STATE(&r, i, "server", "\"server_state\":0");
    CHECK_OK(tc_client_get_connected(r.c, 0, &json));
    CHECK_JSON(json, "\"state\":0");
    tc_string_free(json);
    CHECK_OK(tc_client_get_login(r.c, 0, &json));
    CHECK_JSON(json, "\"isLoggedIn\":false");
    tc_string_free(json);
    CHECK_REFUSED(tc_client_call(r.c, "alice@some.server", NULL, 0), "appState 0");
    CHECK_REFUSED(tc_client_send_message(r.c, "alice", "hi", 0), "logged in");

    /* Back: connectToServer (appState 1, serverConnected, appState 2), then login (login,
     * appState 3). */
    m = r.n;
    CHECK_OK(tc_client_connect_to_server(r.c, "some.server", 0, 0));
    i = WAIT(&r, m, "appStateChanged", "\"appState\":1");
    j = WAIT(&r, m, "serverConnected", NULL);
    CHECK_KIND(&r, j, TC_EVENT_KIND_SERVER_CONNECTED);
    CHECK_STR(ev_str(r.e[j], "domain"), "some.server");
    k = WAIT(&r, m, "appStateChanged", "\"appState\":2");
    CHECK(i < j && j < k);
    WAIT_STATE(&r, j, "server", "\"server_state\":2");
    CHECK_STATUS(tc_client_connect_to_server(r.c, "", 0, 0), TC_STATUS_INVALID_ARGUMENT);
    m = r.n;
    CHECK_OK(tc_client_login(r.c, "room", "secret", 0, 0));
    i = WAIT(&r, m, "login", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_LOGIN);
    j = WAIT(&r, m, "appStateChanged", "\"appState\":3");
    CHECK(i < j);
    WAIT_STATE(&r, i, "login", "\"login\":{\"is_logged_in\":true");
    CHECK_OK(tc_client_get_login(r.c, 0, &json));
    CHECK_JSON(json, "\"isLoggedIn\":true");
    tc_string_free(json);

    /* Logout keeps the server link. */
    m = r.n;
    CHECK_OK(tc_client_logout(r.c, 0));
    i = WAIT(&r, m, "logout", NULL);
    CHECK_KIND(&r, i, TC_EVENT_KIND_LOGOUT);
    WAIT(&r, i, "appStateChanged", "\"appState\":2");
    WAIT_STATE(&r, i, "login", "\"is_logged_in\":false");
    CHECK_OK(tc_client_get_connected(r.c, 0, &json));
    CHECK_JSON(json, "\"state\":2");
    tc_string_free(json);

    rec_close(&r);
}

/* ---- frames --------------------------------------------------------------------------------- */

static void test_frames(void) {
    rec r;
    size_t len = 0, got = 0;
    unsigned char *buf;
    unsigned char small[4];
    rec_open(&r);

    /* Size query (keeps the frame), then the copy: a JPEG (SOI ... EOI). */
    CHECK_STATUS(tc_client_get_frame(r.c, "#self:0", 0, NULL, 0, &len), TC_STATUS_BUFFER_TOO_SMALL);
    CHECK(len > 4 && len < 65536);
    CHECK(strstr(t_last_error(), "kept") != NULL);
    buf = (unsigned char *)malloc(len);
    CHECK(buf != NULL);
    CHECK_OK(tc_client_get_frame(r.c, "#self:0", 0, buf, len, &got));
    CHECK(got == len);
    CHECK(buf[0] == 0xFF && buf[1] == 0xD8);
    CHECK(buf[len - 2] == 0xFF && buf[len - 1] == 0xD9);

    /* A buffer too small: the size, nothing copied beyond it; then a large enough one. */
    got = 0;
    CHECK_STATUS(tc_client_get_frame(r.c, "#self:0", 0, small, sizeof small, &got), TC_STATUS_BUFFER_TOO_SMALL);
    CHECK(got > sizeof small);
    free(buf);
    len = got;
    buf = (unsigned char *)malloc(len);
    CHECK(buf != NULL);
    CHECK_OK(tc_client_get_frame(r.c, "#self:0", 0, buf, len, &got));
    CHECK(got == len && buf[0] == 0xFF && buf[1] == 0xD8);

    /* The room's tokens expire: the library fetches a new one and the frame still comes. */
    free(buf);
    buf = (unsigned char *)malloc(65536);
    CHECK(buf != NULL);
    emu(&r, "expireHttpTokens", NULL);
    got = 0;
    CHECK_OK(tc_client_get_frame(r.c, "#self:0", 0, buf, 65536, &got));
    CHECK(got > 4 && buf[0] == 0xFF && buf[1] == 0xD8);
    free(buf);

    /* A kept frame belongs to its connection: after tc_client_close there is none to give. */
    CHECK_STATUS(tc_client_get_frame(r.c, "#self:0", 0, NULL, 0, &got), TC_STATUS_BUFFER_TOO_SMALL);
    CHECK_OK(tc_client_close(r.c));
    CHECK_STATUS(tc_client_get_frame(r.c, "#self:0", 0, NULL, 0, &got), TC_STATUS_DISCONNECTED);
    CHECK_OK(tc_client_connect(r.c, T_LONG_MS));

    /* A slot the layout does not have: the server's 404 as a refusal; bad arguments. */
    CHECK_REFUSED(tc_client_get_frame(r.c, "nobody@some.server/1", 0, NULL, 0, &got), "404");
    CHECK_STATUS(tc_client_get_frame(r.c, "", 0, NULL, 0, &got), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_get_frame(r.c, "#self:0", 0, NULL, 0, NULL), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_get_frame(r.c, NULL, 0, NULL, 0, &got), TC_STATUS_NULL_POINTER);

    rec_close(&r);
}

int main(void) {
    test_calls_out();
    test_calls_in();
    test_auto_answer();
    test_own_conference();
    test_own_media();
    test_devices();
    test_ptz();
    test_chat_and_content();
    test_server_and_login();
    test_frames();
    CHECK_OK(tc_shutdown());
    printf("test_room: ok\n");
    return 0;
}
