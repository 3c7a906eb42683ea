/*
 * create_conference: connect to a TrueConf Room, create a conference with the waiting room on,
 * invite people, let them in as they arrive, then end it.
 *
 * Build (see ffi/README.md for installing the library):
 *     cc create_conference.c $(pkg-config --cflags --libs tcroom) -o create_conference
 * Run:
 *     ./create_conference HOST WEB_PORT PIN INVITEE...      (PIN "-" for an unsecured room)
 *
 * It uses the poll API only: one thread, no callbacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcroom.h"

static int fail(const char *what, tc_status status) {
    char message[512];
    tc_last_error(message, sizeof message, NULL);
    fprintf(stderr, "%s failed: %s: %s\n", what, tc_status_str(status), message);
    return 1;
}

int main(int argc, char **argv) {
    tc_client_options *options = NULL;
    tc_client *client = NULL;
    tc_conference_params params;
    tc_conference *conf = NULL;
    tc_status s;
    int invitees, joined = 0, declined = 0, waited_ms = 0;

    if (argc < 5) {
        fprintf(stderr, "usage: %s HOST WEB_PORT PIN INVITEE...\n", argv[0]);
        return 64;
    }
    invitees = argc - 4;

    /* 1. Options, then the client. The options are copied: free them right away. */
    if ((s = tc_client_options_new(&options)) != TC_STATUS_OK) return fail("tc_client_options_new", s);
    tc_client_options_set_host(options, argv[1]);
    tc_client_options_set_web_port(options, (uint16_t)atoi(argv[2]));
    if (strcmp(argv[3], "-") != 0) tc_client_options_set_pin(options, argv[3]);
    s = tc_client_new(options, &client);
    tc_client_options_free(options);
    if (s != TC_STATUS_OK) return fail("tc_client_new", s);

    /* 2. Connect: discovery through the web port, then auth. Blocks up to 10 s. */
    if ((s = tc_client_connect(client, 10000)) != TC_STATUS_OK) {
        tc_client_free(client);
        return fail("tc_client_connect", s);
    }

    /* 3. Create the conference and wait until it has started. */
    tc_conference_params_init(&params, sizeof params);
    params.title = "Created from C";
    params.conf_type = TC_CONF_SYMMETRIC;
    params.invite_list = (const char *const *)(argv + 4);
    params.invite_count = (size_t)invitees;
    params.use_waiting_room = 1;
    if ((s = tc_create_conference_wait(client, &params, 10000, &conf)) != TC_STATUS_OK) {
        tc_client_free(client);
        return fail("tc_create_conference_wait", s);
    }
    printf("conference %s started: %s (up to %u participants)\n", tc_conference_id(conf),
           tc_conference_join_url(conf) ? tc_conference_join_url(conf) : "(no link)",
           tc_conference_max_participants(conf));
    tc_conference_free(conf);

    /* 4. Events: admit whoever waits, count who joined or declined. */
    while (joined + declined < invitees && waited_ms < 15000) {
        tc_event *ev = NULL;
        const char *peer;
        int waiting = 0;
        s = tc_client_next_event(client, 500, &ev);
        if (s == TC_STATUS_TIMEOUT) {
            waited_ms += 500;
            continue;
        }
        if (s != TC_STATUS_OK) break; /* disconnected */
        peer = tc_event_peer_id(ev);
        switch (tc_event_get_kind(ev)) {
        case TC_EVENT_KIND_NEW_PARTICIPANT:
            if (tc_participant_in_waiting_room(tc_event_participant(ev))) {
                printf("%s is in the waiting room: letting them in\n", peer);
                tc_client_set_participant_presence_in_waiting_room(client, peer, 0, TC_TIMEOUT_DEFAULT, NULL);
            } else {
                printf("%s joined\n", peer);
                joined++;
            }
            break;
        case TC_EVENT_KIND_PARTICIPANT_PRESENCE_IN_WAITING_ROOM_CHANGED:
            if (tc_event_get_bool(ev, "isInWaitingRoom", &waiting) == TC_STATUS_OK && !waiting) {
                printf("%s joined\n", peer);
                joined++;
            }
            break;
        case TC_EVENT_KIND_REJECT_RECEIVED: {
            int64_t cause = -1;
            tc_event_get_int(ev, "cause", &cause);
            printf("%s declined (cause %lld)\n", peer ? peer : "?", (long long)cause);
            declined++;
            break;
        }
        default:
            break;
        }
        tc_event_free(ev);
    }
    printf("%d of %d invitees joined\n", joined, invitees);

    /* 5. End the conference for everyone, then free the client (it closes the connection). */
    tc_client_hang_up(client, 1, TC_TIMEOUT_DEFAULT);
    tc_client_free(client);
    tc_shutdown();
    return joined == invitees ? 0 : 2;
}
