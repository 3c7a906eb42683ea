/* Error paths of the C ABI: NULL pointers, invalid UTF-8, bad enum values, versioned structs,
 * wrong PIN, unreachable room, calls before connecting, the last-error buffer, tc_shutdown. */
#include "common.h"

#include <dirent.h>

static const char bad_utf8[] = {'r', 'o', (char)0xC3, (char)0x28, 'm', 0};

static void test_version_and_status(void) {
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", TC_VERSION_MAJOR, TC_VERSION_MINOR, TC_VERSION_PATCH);
    CHECK_STR(tc_version(), expect);
    CHECK(TC_VERSION == TC_VERSION_MAJOR * 1000000 + TC_VERSION_MINOR * 1000 + TC_VERSION_PATCH);
    CHECK(TC_STATUS_OK == 0);
    CHECK_STR(tc_status_str(TC_STATUS_OK), "ok");
    CHECK_STR(tc_status_str(TC_STATUS_NULL_POINTER), "NULL pointer argument");
    CHECK_STR(tc_status_str(12345), "unknown status");
    CHECK_STR(tc_status_str(-1), "unknown status");
}

static void test_last_error_buffer(void) {
    char small[8];
    char big[256];
    size_t len = 0;
    CHECK_STATUS(tc_client_options_new(NULL), TC_STATUS_NULL_POINTER);
    CHECK_OK(tc_last_error(big, sizeof big, &len));
    CHECK(strstr(big, "out_options") != NULL);
    CHECK(len == strlen(big));
    /* Truncated copies stay NUL-terminated and report the full length. */
    CHECK_STATUS(tc_last_error(small, sizeof small, &len), TC_STATUS_BUFFER_TOO_SMALL);
    CHECK(strlen(small) == sizeof small - 1);
    CHECK(len == strlen(big));
    /* Length query without a buffer. */
    len = 0;
    CHECK_STATUS(tc_last_error(NULL, 0, &len), TC_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == strlen(big));
    /* Reading it did not change it. */
    CHECK_OK(tc_last_error(big, sizeof big, NULL));
    CHECK(strstr(big, "out_options") != NULL);
}

static void test_null_and_utf8(void) {
    tc_client_options *o = NULL;
    tc_client *c = NULL;
    tc_event *ev = NULL;
    char *s = NULL;
    int fd = -1;

    /* Frees accept NULL. */
    CHECK_OK(tc_client_free(NULL));
    tc_client_options_free(NULL);
    tc_event_free(NULL);
    tc_conference_free(NULL);
    tc_participant_list_free(NULL);
    tc_string_free(NULL);

    CHECK_OK(tc_client_options_new(&o));
    CHECK_STATUS(tc_client_options_set_host(NULL, "x"), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_options_set_host(o, NULL), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_options_set_host(o, bad_utf8), TC_STATUS_INVALID_UTF8);
    CHECK(strstr(t_last_error(), "UTF-8") != NULL);
    CHECK_STATUS(tc_client_options_set_host(o, "  "), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_options_set_pin(o, bad_utf8), TC_STATUS_INVALID_UTF8);
    CHECK_STATUS(tc_client_options_set_role(o, 7), TC_STATUS_INVALID_ARGUMENT);
    CHECK_OK(tc_client_options_set_role(o, TC_ROLE_ADMIN));
    CHECK_STATUS(tc_client_options_set_request_timeout(o, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_options_set_event_capacity(o, 0), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_options_set_instance(o, "a/b"), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_options_set_web_port(o, 0), TC_STATUS_INVALID_ARGUMENT);

    CHECK_STATUS(tc_client_new(o, NULL), TC_STATUS_NULL_POINTER);
    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);

    /* Handle-taking functions check the handle. */
    CHECK_STATUS(tc_client_connect(NULL, 100), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_next_event(NULL, 0, &ev), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_next_event(c, 0, NULL), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_event_fd(c, NULL), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_get_session_link(c, 0, NULL), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_invite_to_conference(c, NULL, 0), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_invite_to_conference(c, bad_utf8, 0), TC_STATUS_INVALID_UTF8);
    CHECK_STATUS(tc_client_request_json(c, NULL, NULL, 0, &s), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_client_request_json(c, bad_utf8, NULL, 0, &s), TC_STATUS_INVALID_UTF8);
    CHECK_STATUS(tc_client_request_json(c, "getAppState", "{not json", 0, &s), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_request_json(c, "getAppState", "[1,2]", 0, &s), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_request_json(c, "getAppState", "{\"requestId\":\"7\"}", 0, &s), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_request_json(c, "", NULL, 0, &s), TC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(tc_client_request_json_async(c, "getAppState", NULL, 0, NULL, NULL), TC_STATUS_NULL_POINTER);
    CHECK(s == NULL); /* out-parameters untouched on failure */

    /* Before connecting: commands say so; the poll says nothing will come. */
    CHECK_STATUS(tc_client_get_session_link(c, 0, &s), TC_STATUS_DISCONNECTED);
    CHECK(strstr(t_last_error(), "tc_client_connect") != NULL);
    CHECK_STATUS(tc_client_request_json(c, "getAppState", NULL, 0, &s), TC_STATUS_DISCONNECTED);
    CHECK_STATUS(tc_client_next_event(c, 1000, &ev), TC_STATUS_DISCONNECTED);
    CHECK(ev == NULL);
    CHECK(tc_client_is_connected(c) == 0);
    CHECK_OK(tc_client_event_fd(c, &fd));
    CHECK(fd >= 0);
    CHECK_OK(tc_client_close(c)); /* closing an unconnected client is a no-op */
    CHECK_OK(tc_client_state_json(c, &s));
    CHECK(strstr(s, "\"connected\":false") != NULL);
    tc_string_free(s);
    s = NULL;

    /* A pending wake makes the next poll return INTERRUPTED, once. */
    CHECK_OK(tc_client_wake(c));
    CHECK_STATUS(tc_client_next_event(c, 0, &ev), TC_STATUS_INTERRUPTED);
    CHECK_STATUS(tc_client_next_event(c, 0, &ev), TC_STATUS_DISCONNECTED);

    /* Accessors tolerate NULL. */
    CHECK(tc_event_name(NULL) == NULL);
    CHECK(tc_event_get_kind(NULL) == TC_EVENT_KIND_UNKNOWN);
    CHECK(tc_conference_id(NULL) == NULL);
    CHECK(tc_conference_max_participants(NULL) == 0);
    CHECK(tc_participant_list_len(NULL) == 0);
    CHECK(tc_participant_list_get(NULL, 0) == NULL);
    CHECK(tc_client_is_connected(NULL) == 0);

    /* tc_shutdown refuses while a client exists. */
    CHECK_STATUS(tc_shutdown(), TC_STATUS_BUSY);
    CHECK_OK(tc_client_free(c));
}

static void test_conference_params(void) {
    tc_conference_params p;
    tc_client *c = NULL;
    tc_conference *conf = NULL;
    const char *invite[2];
    invite[0] = "alice@some.server";
    invite[1] = NULL;

    CHECK_STATUS(tc_conference_params_init(NULL, sizeof p), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_conference_params_init(&p, 4), TC_STATUS_INVALID_ARGUMENT);
    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    CHECK(p.struct_size == sizeof p);
    CHECK(p.conf_type == TC_CONF_SYMMETRIC);
    CHECK(p.title == NULL && p.invite_count == 0 && p.use_waiting_room == 0);

    c = t_connect();
    /* Parameters are checked before anything is sent. */
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_NULL_POINTER); /* no title */
    p.title = "Review";
    p.conf_type = 42;
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(t_last_error(), "unknown conference type 42") != NULL);
    p.conf_type = TC_CONF_UNKNOWN;
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_INVALID_ARGUMENT);
    p.conf_type = TC_CONF_ROLE;
    p.title = bad_utf8;
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_INVALID_UTF8);
    p.title = "Review";
    p.invite_list = invite;
    p.invite_count = 2; /* the second entry is NULL */
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_NULL_POINTER);
    CHECK(strstr(t_last_error(), "invite_list[1]") != NULL);
    p.invite_count = 1;
    p.casters_count = 5; /* not in the role schema 1/2/3 of the tariff */
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_INVALID_ARGUMENT);
    p.casters_count = 0;
    p.smart_meeting = 1; /* needs 4+ podium seats */
    CHECK_STATUS(tc_create_conference(c, &p, 2000, NULL, NULL), TC_STATUS_NULL_POINTER);
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_INVALID_ARGUMENT);
    p.struct_size = 3; /* a struct nobody initialized */
    CHECK_STATUS(tc_create_conference_wait(c, &p, 2000, &conf), TC_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(t_last_error(), "struct_size") != NULL);
    CHECK(conf == NULL);
    CHECK_OK(tc_client_free(c));
}

static void test_wrong_pin_and_unreachable(void) {
    tc_client_options *o = t_options("0000");
    tc_client *c = NULL;
    CHECK_OK(tc_client_new(o, &c));
    CHECK_STATUS(tc_client_connect(c, T_LONG_MS), TC_STATUS_AUTH);
    CHECK(tc_client_is_connected(c) == 0);
    CHECK_OK(tc_client_free(c));

    /* Discovery against a port nobody listens on. */
    CHECK_OK(tc_client_options_set_ws_port(o, 0));
    CHECK_OK(tc_client_options_set_web_port(o, 1));
    CHECK_OK(tc_client_new(o, &c));
    CHECK_STATUS(tc_client_connect(c, T_LONG_MS), TC_STATUS_CONNECTION);
    CHECK(strstr(t_last_error(), "discovery") != NULL);
    CHECK_OK(tc_client_free(c));
    tc_client_options_free(o);

    /* The right PIN through discovery works, and a second connect is refused as BUSY. */
    o = t_options(t_env("TC_PIN"));
    CHECK_OK(tc_client_options_set_ws_port(o, 0));
    CHECK_OK(tc_client_options_set_web_port(o, t_env_port("TC_WEB_PORT")));
    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    CHECK(tc_client_is_connected(c) == 1);
    CHECK_STATUS(tc_client_connect(c, T_LONG_MS), TC_STATUS_BUSY);
    /* Close, then connect again on the same client. */
    CHECK_OK(tc_client_close(c));
    CHECK(tc_client_is_connected(c) == 0);
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    CHECK(tc_client_is_connected(c) == 1);
    CHECK_OK(tc_client_free(c));
}

/* Open descriptors of this process (Linux). */
static int open_fds(void) {
    int n = 0;
    struct dirent *d;
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL) return -1;
    while ((d = readdir(dir)) != NULL) {
        if (d->d_name[0] != '.') n++;
    }
    closedir(dir);
    return n - 1; /* the directory's own descriptor */
}

int main(void) {
    int fds;
    test_version_and_status();
    test_last_error_buffer();
    test_null_and_utf8();
    test_conference_params();
    test_wrong_pin_and_unreachable();
    CHECK_OK(tc_shutdown());
    CHECK_OK(tc_shutdown()); /* idempotent */
    fds = open_fds();
    {
        /* After a shutdown the next client starts the library again. */
        tc_client *c = t_connect();
        CHECK(tc_client_is_connected(c) == 1);
        CHECK_OK(tc_client_free(c));
        CHECK_OK(tc_shutdown());
    }
    /* A whole start, connect, free and shutdown leaves no descriptor open (the runtime's
     * wake-up pipe and the client's event fd included). */
    CHECK(fds > 0 && open_fds() == fds);
    printf("test_errors: ok\n");
    return 0;
}
