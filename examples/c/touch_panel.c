/*
 * touch_panel: a room panel that follows the live room state by poll. It waits on the client's
 * event descriptor in poll(2), takes the events with tc_client_next_event(client, 0, ...), and on
 * every stateChanged event reads tc_client_state_json again and shows one line: the app state,
 * whether a call is on, the microphone, camera and speaker, and a call waiting to be answered.
 *
 * Its "buttons" are pressed by the program itself, so that it runs unattended: the microphone
 * button once at the start, "answer" when a call comes in, "hang up" once the call is on. It
 * exits 0 when that call has ended, 2 when no call came within the time limit.
 *
 * Build (see ffi/README.md for installing the library):
 *     cc touch_panel.c $(pkg-config --cflags --libs tcroom) -o touch_panel
 * Run:
 *     ./touch_panel [--seconds N] [--simulate-call PEER] HOST WEB_PORT PIN   (PIN "-": unsecured)
 *
 * --simulate-call PEER is for the emulator (tcroom-emulator) only: once the microphone has
 * toggled, the panel asks it to have PEER call the room (the test-only emulator.incomingCall,
 * sent through tc_client_request_json), so the whole flow runs without a second program. A
 * real room answers that method with "unknown method".
 *
 * One thread, no callbacks: the shape of a host with its own event loop (poll/epoll, Qt's
 * QSocketNotifier, a GLib GSource).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tcroom.h"

/* ---- the panel: what it shows, read from the state JSON ------------------------------------ */

typedef struct panel {
    int app_state;      /* 0 none ... 3 normal, 4 calling, 5 in a call, 6 closing; -1 unknown */
    int in_call;        /* 1 in a call or conference */
    int mic, camera, speaker; /* 1 muted, 0 on, -1 not known yet */
    char incoming[256]; /* who is calling us, "" for nobody */
} panel;

/* The text right after "key": in the state JSON. The state's own keys are snake_case and the
 * room's raw fields kept inside it camelCase, so searching the text finds the state's field; a
 * real host would hand the JSON to its parser. */
static const char *field(const char *json, const char *key) {
    char pattern[64];
    const char *p;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = strstr(json, pattern);
    return p != NULL ? p + strlen(pattern) : NULL;
}

static int flag(const char *json, const char *key) {
    const char *v = field(json, key);
    if (v == NULL || strncmp(v, "null", 4) == 0) return -1;
    return strncmp(v, "true", 4) == 0;
}

static void read_panel(const char *json, panel *p) {
    const char *v = field(json, "app_state");
    p->app_state = (v != NULL && *v >= '0' && *v <= '9') ? atoi(v) : -1;
    p->in_call = flag(json, "in_call") == 1;
    p->mic = flag(json, "mic_muted");
    p->camera = flag(json, "camera_muted");
    p->speaker = flag(json, "speaker_muted");
    p->incoming[0] = '\0';
    v = field(json, "incoming_call");
    if (v != NULL && *v == '{' && (v = field(v, "peer_id")) != NULL && *v == '"') {
        const char *end = strchr(v + 1, '"');
        size_t n = end != NULL ? (size_t)(end - v - 1) : 0;
        if (n >= sizeof p->incoming) n = sizeof p->incoming - 1;
        memcpy(p->incoming, v + 1, n);
        p->incoming[n] = '\0';
    }
}

static const char *app_state_name(int s) {
    static const char *names[] = {"no server", "connecting", "logging in", "normal", "ringing", "in call", "closing"};
    return s >= 0 && s <= 6 ? names[s] : "unknown";
}

static const char *muted(int m) {
    return m < 0 ? "?" : m ? "muted" : "on";
}

static void format_panel(const panel *p, char *line, size_t len) {
    snprintf(line, len, "panel: app=%d (%s) call=%s mic=%s camera=%s speaker=%s incoming=%s", p->app_state,
             app_state_name(p->app_state), p->in_call ? "yes" : "no", muted(p->mic), muted(p->camera),
             muted(p->speaker), p->incoming[0] ? p->incoming : "-");
}

/* ---- the program ---------------------------------------------------------------------------- */

typedef struct app {
    tc_client *client;
    const char *simulate_call; /* NULL: wait for a real call */
    char last_line[512];
    int mic_before;            /* the microphone before we pressed its button, -1 before */
    int mic_pressed, call_asked, answered, hung_up, done;
} app;

static void report(const char *what, tc_status s) {
    char message[512];
    tc_last_error(message, sizeof message, NULL);
    fprintf(stderr, "%s failed: %s: %s\n", what, tc_status_str(s), message);
}

/* Reads the state, redraws the panel line when it changed, and presses the next button. */
static void refresh(app *a) {
    char *json = NULL;
    char line[512];
    panel p;
    tc_status s = tc_client_state_json(a->client, &json);
    if (s != TC_STATUS_OK) {
        report("tc_client_state_json", s);
        return;
    }
    read_panel(json, &p);
    tc_string_free(json);
    format_panel(&p, line, sizeof line);
    if (strcmp(line, a->last_line) != 0) {
        printf("%s\n", line);
        snprintf(a->last_line, sizeof a->last_line, "%s", line);
    }

    if (!a->mic_pressed && p.mic >= 0) {
        /* The microphone button: toggle. The change shows in a later state. */
        a->mic_before = p.mic;
        a->mic_pressed = 1;
        printf("button: mic %s\n", p.mic ? "on" : "off");
        if ((s = tc_client_set_mic_mute(a->client, !p.mic, TC_TIMEOUT_DEFAULT)) != TC_STATUS_OK)
            report("tc_client_set_mic_mute", s);
    }
    if (a->mic_pressed && !a->call_asked && a->simulate_call != NULL && p.mic >= 0 && p.mic != a->mic_before &&
        p.app_state == 3) {
        char params[300], *reply = NULL;
        a->call_asked = 1;
        printf("emulator: %s calls the room\n", a->simulate_call);
        snprintf(params, sizeof params, "{\"peerId\":\"%s\"}", a->simulate_call);
        s = tc_client_request_json(a->client, "emulator.incomingCall", params, TC_TIMEOUT_DEFAULT, &reply);
        if (s != TC_STATUS_OK) report("emulator.incomingCall", s);
        tc_string_free(reply);
    }
    if (p.incoming[0] != '\0' && !a->answered) {
        /* The answer button. */
        a->answered = 1;
        printf("button: answer %s\n", p.incoming);
        if ((s = tc_client_accept(a->client, TC_TIMEOUT_DEFAULT)) != TC_STATUS_OK) report("tc_client_accept", s);
    }
    if (a->answered && p.in_call && !a->hung_up) {
        /* The call is on: the hang-up button. */
        a->hung_up = 1;
        printf("button: hang up\n");
        if ((s = tc_client_hang_up(a->client, 0, TC_TIMEOUT_DEFAULT)) != TC_STATUS_OK) report("tc_client_hang_up", s);
    }
    if (a->hung_up && !p.in_call && p.app_state == 3) a->done = 1;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    tc_client_options *options = NULL;
    app a;
    int32_t fd = -1;
    long long deadline;
    int seconds = 30, arg = 1, gone = 0;
    tc_status s;

    memset(&a, 0, sizeof a);
    a.mic_before = -1;
    while (arg < argc && strncmp(argv[arg], "--", 2) == 0) {
        if (strcmp(argv[arg], "--seconds") == 0 && arg + 1 < argc) {
            seconds = atoi(argv[arg + 1]);
        } else if (strcmp(argv[arg], "--simulate-call") == 0 && arg + 1 < argc) {
            a.simulate_call = argv[arg + 1];
        } else {
            break;
        }
        arg += 2;
    }
    if (argc - arg != 3 || seconds <= 0) {
        fprintf(stderr, "usage: %s [--seconds N] [--simulate-call PEER] HOST WEB_PORT PIN\n", argv[0]);
        return 64;
    }

    if ((s = tc_client_options_new(&options)) != TC_STATUS_OK) {
        report("tc_client_options_new", s);
        return 1;
    }
    tc_client_options_set_host(options, argv[arg]);
    tc_client_options_set_web_port(options, (uint16_t)atoi(argv[arg + 1]));
    if (strcmp(argv[arg + 2], "-") != 0) tc_client_options_set_pin(options, argv[arg + 2]);
    /* stateChanged events are on by default (tc_client_options_set_state_events). */
    s = tc_client_new(options, &a.client);
    tc_client_options_free(options);
    if (s != TC_STATUS_OK) {
        report("tc_client_new", s);
        return 1;
    }
    if ((s = tc_client_connect(a.client, 10000)) != TC_STATUS_OK || (s = tc_client_event_fd(a.client, &fd)) != TC_STATUS_OK) {
        report("connecting", s);
        tc_client_free(a.client);
        return 1;
    }

    /* The state is complete once connected: draw the panel at once, then follow it. */
    refresh(&a);
    deadline = now_ms() + 1000LL * seconds;
    while (!a.done && !gone) {
        struct pollfd pfd;
        long long left = deadline - now_ms();
        int ready;
        tc_event *ev = NULL;
        if (left <= 0) break;
        pfd.fd = fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            perror("poll");
            break;
        }
        if (ready == 0) continue; /* the deadline */
        /* Readable: take every waiting event without blocking. */
        while (!a.done && (s = tc_client_next_event(a.client, 0, &ev)) == TC_STATUS_OK) {
            switch (tc_event_get_kind(ev)) {
            case TC_EVENT_KIND_STATE_CHANGED:
                refresh(&a);
                break;
            case TC_EVENT_KIND_DISCONNECTED:
                printf("disconnected\n");
                gone = 1;
                break;
            default:
                break; /* the state tells the panel all it shows */
            }
            tc_event_free(ev);
        }
        if (s == TC_STATUS_DISCONNECTED) gone = 1;
    }

    printf(a.done ? "done: the call was answered and has ended\n" : "stopped: no call answered in time\n");
    tc_client_free(a.client);
    tc_shutdown();
    return a.done ? 0 : 2;
}
