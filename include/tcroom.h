/*
 * tcroom.h - C ABI of tcroom, a client for the TrueConf Room / VideoSDK WebSocket control API.
 *
 * Build and link: see ffi/README.md. One line with pkg-config:
 *     cc app.c $(pkg-config --cflags --libs tcroom) -o app
 *
 * CONVENTIONS
 *  - Every name starts with tc_. Objects are opaque handles: tc_x_new / tc_x_free, and every
 *    free function accepts NULL.
 *  - Every fallible function returns a tc_status (TC_STATUS_OK == 0). On failure,
 *    tc_last_error() copies the calling thread's last error message into your buffer and
 *    tc_status_str() gives a static description of the code.
 *  - Arguments: handle first, then inputs, then outputs. Out-parameters are written only on
 *    success, with these documented exceptions: tc_client_request_json also returns the
 *    room's reply with TC_STATUS_REFUSED, and with TC_STATUS_BUFFER_TOO_SMALL the two that
 *    copy into your buffer still write the full size to *out_len (tc_client_get_frame: the
 *    frame's bytes; tc_last_error: the message's length without the NUL, and the buffer
 *    gets as much of the message as fits). Required pointers are checked: NULL gives
 *    TC_STATUS_NULL_POINTER; strings must be UTF-8 (TC_STATUS_INVALID_UTF8 otherwise).
 *  - Booleans are int: 0 is false, any other value true; the library writes 0 or 1.
 *  - Enumerations are passed as int32_t; unknown values are rejected with
 *    TC_STATUS_INVALID_ARGUMENT, never trusted.
 *  - Time-outs are milliseconds. Commands take TC_TIMEOUT_DEFAULT (0) for the client's
 *    request time-out (10 s unless tc_client_options_set_request_timeout says otherwise).
 *
 * OWNERSHIP
 *  - char* returned through a char** out-parameter is yours: free it with tc_string_free(),
 *    never with free().
 *  - const char* returned by an accessor is lent: it lives as long as the object it came
 *    from (the event, conference, participant or list). Static strings (tc_version,
 *    tc_status_str) live forever.
 *  - Objects returned through out-parameters are yours (tc_event_free, tc_conference_free,
 *    tc_participant_list_free, tc_client_free, tc_client_options_free).
 *  - Objects passed to a callback (const tc_event*, const tc_conference*, strings) are lent
 *    for the duration of that call only. Keep them with tc_event_copy / tc_conference_copy.
 *  - user_data is never touched by the library. For the event callback you may give a
 *    free_user_data function: it is called exactly once, after the last callback that uses
 *    that user_data has returned (when the callback is replaced, or in tc_client_free).
 *    Async calls (tc_create_conference, tc_client_request_json_async) have no free function:
 *    their callback's final invocation is the last use of user_data.
 *
 * THREADS
 *  - tc_client functions are thread-safe and may be called from any thread, including from
 *    inside this library's callbacks (blocking calls included: they do not deadlock).
 *    tc_client_options is not: configure it from one thread.
 *  - Every callback of a client runs on that client's own dispatcher thread (one per
 *    client, created by tc_client_new, named "tcroom-dispatch"), one at a time, in order.
 *    Never on your threads, never on the library's internal I/O threads. A slow callback
 *    delays the client's later callbacks, not its I/O. Callbacks must return normally: no
 *    C++ exception or longjmp may cross them.
 *  - The library runs one internal I/O runtime (2 threads) shared by all clients.
 *  - tc_last_error() is per thread: read it on the thread that saw the failure. Inside a
 *    callback that reports a failure, it holds that failure's message.
 *
 * EVENTS: one queue per client, consumed in one of two ways
 *  - Callback: tc_client_set_event_callback(). While registered, it receives every event
 *    (those already queued first) and tc_client_next_event() returns TC_STATUS_BUSY.
 *  - Poll: tc_client_next_event(client, timeout_ms, &event) with tc_client_wake() to
 *    interrupt it, and tc_client_event_fd() for select/poll/epoll/Qt/GLib loops: the
 *    descriptor is readable exactly while an event (or a wake) waits. This mode suits hosts
 *    that cannot take calls on foreign threads.
 *  - Either way each event is delivered once, in the room's order. The synthetic event
 *    "disconnected" ends a connection's events; "eventsLost" (field count) reports events
 *    dropped because the queue was full (tc_client_options_set_event_capacity). With
 *    tc_client_options_set_reconnect, a drop shows as "connectionLost" then "reconnected".
 *
 * COMMANDS
 *  - Every command of the protocol catalogue is a function tc_client_<name>(client, inputs...,
 *    timeout_ms, outputs...), generated from the catalogue with its documentation below
 *    (reference: docs/commands.md). Arguments are checked before anything is sent
 *    (TC_STATUS_INVALID_ARGUMENT); a refusal by the room is TC_STATUS_REFUSED with the room's
 *    own words in tc_last_error. Anything else: tc_client_request_json.
 *
 * ROOM STATE
 *  - tc_client_state_json: the live state of the room (mute, devices, call, participants,
 *    layout...), current whatever the event queue dropped. A stateChanged event
 *    (TC_EVENT_KIND_STATE_CHANGED, field `changed`) follows each change on the same queue and
 *    descriptor (tc_client_options_set_state_events turns it off).
 *
 * LIFECYCLE AND SHUTDOWN ORDER
 *  1. tc_client_options_new, tc_client_options_set_*; tc_client_new; tc_client_options_free.
 *  2. Optionally tc_client_set_event_callback; then tc_client_connect (blocking).
 *  3. Commands, tc_create_conference, events.
 *  4. tc_client_close (optional: the connection can be reopened with tc_client_connect).
 *  5. tc_client_free, from any thread of yours, never from inside a tcroom callback (of any
 *     client: there it returns TC_STATUS_IN_CALLBACK and does nothing). It ends pending calls with TC_STATUS_CLOSED,
 *     drops queued events, closes the connection, runs the final callbacks of pending async
 *     calls, joins the dispatcher thread and calls free_user_data. Once it returns, no
 *     callback of that client runs again. No other thread may still be using the client.
 *  6. Optionally tc_shutdown, after every client is freed: stops the library's internal
 *     threads (useful before unloading the library or under a leak checker).
 */


#ifndef TCROOM_H
#define TCROOM_H

/* Generated by cbindgen from ffi/src. Do not edit: edit the Rust sources and regenerate. */

#include <stddef.h>
#include <stdint.h>

/**
 * Major version of the library this header belongs to.
 */
#define TC_VERSION_MAJOR 0

/**
 * Minor version.
 */
#define TC_VERSION_MINOR 1

/**
 * Patch version.
 */
#define TC_VERSION_PATCH 0

/**
 * The three as one number, MAJOR * 1000000 + MINOR * 1000 + PATCH, for `#if` checks.
 */
#define TC_VERSION (((TC_VERSION_MAJOR * 1000000) + (TC_VERSION_MINOR * 1000)) + TC_VERSION_PATCH)

/**
 * Use the client's request time-out (`tc_client_options_set_request_timeout`).
 */
#define TC_TIMEOUT_DEFAULT 0

/**
 * Wait without limit in `tc_client_next_event`.
 */
#define TC_WAIT_FOREVER UINT32_MAX

/**
 * Result of every fallible `tc_` function. `TC_STATUS_OK` is 0; the text of the last failure
 * on the calling thread is available from `tc_last_error`.
 */
enum tc_status
#ifdef __cplusplus
  : int32_t
#endif // __cplusplus
 {
    TC_STATUS_OK = 0,
    /**
     * An argument has a value the function does not accept (an unknown enum value, a bad JSON
     * text, an empty title...).
     */
    TC_STATUS_INVALID_ARGUMENT = 1,
    /**
     * A required pointer argument was NULL.
     */
    TC_STATUS_NULL_POINTER = 2,
    /**
     * A string argument is not valid UTF-8.
     */
    TC_STATUS_INVALID_UTF8 = 3,
    /**
     * Discovery or the WebSocket connection failed.
     */
    TC_STATUS_CONNECTION = 4,
    /**
     * The room rejected the credentials (wrong PIN, password or token).
     */
    TC_STATUS_AUTH = 5,
    /**
     * No answer within the time-out.
     */
    TC_STATUS_TIMEOUT = 6,
    /**
     * The connection is gone (or was never made): connect again.
     */
    TC_STATUS_DISCONNECTED = 7,
    /**
     * The room answered `result: false`; its own error text is in the message.
     */
    TC_STATUS_REFUSED = 8,
    /**
     * The room sent something that does not follow the protocol.
     */
    TC_STATUS_PROTOCOL = 9,
    /**
     * The client is being freed: pending work ends with this status.
     */
    TC_STATUS_CLOSED = 10,
    /**
     * The call is not allowed from inside this client's own callback (`tc_client_free`).
     */
    TC_STATUS_IN_CALLBACK = 11,
    /**
     * The operation conflicts with the client's current mode (polling while a callback is
     * registered, connecting while connected, shutting down while clients exist).
     */
    TC_STATUS_BUSY = 12,
    /**
     * `tc_client_wake` interrupted `tc_client_next_event`.
     */
    TC_STATUS_INTERRUPTED = 13,
    /**
     * The caller's buffer was too small; the text was truncated and the needed length reported.
     */
    TC_STATUS_BUFFER_TOO_SMALL = 14,
    /**
     * The requested field is absent or not of the requested type.
     */
    TC_STATUS_NOT_FOUND = 15,
    /**
     * Not available on this platform.
     */
    TC_STATUS_UNSUPPORTED = 16,
    /**
     * The library could not get a resource it needs (a thread, a socket pair).
     */
    TC_STATUS_INTERNAL = 17,
    /**
     * A bug: the library panicked. The call had no effect that can be relied on.
     */
    TC_STATUS_PANIC = 18,
};
#ifndef __cplusplus
typedef int32_t tc_status;
#endif // __cplusplus

/**
 * Where a `tc_create_conference` stands when its callback runs.
 */
enum tc_conference_stage
#ifdef __cplusplus
  : int32_t
#endif // __cplusplus
 {
    /**
     * The room accepted the request (`json`: its reply). `STARTED` or `FAILED` follows.
     */
    TC_CONFERENCE_STAGE_ACCEPTED = 0,
    /**
     * The conference has started: `conference` describes it. Final.
     */
    TC_CONFERENCE_STAGE_STARTED = 1,
    /**
     * The room answered `result:false`: `message` is the room's own error text, `json` its
     * reply. Final.
     */
    TC_CONFERENCE_STAGE_REFUSED = 2,
    /**
     * Anything else went wrong (`status` says what: `TIMEOUT`, `DISCONNECTED`, `CLOSED`...):
     * `message` explains. Final.
     */
    TC_CONFERENCE_STAGE_FAILED = 3,
};
#ifndef __cplusplus
typedef int32_t tc_conference_stage;
#endif // __cplusplus

/**
 * What kind of notification an event is (the core's `EventId`). `TC_EVENT_KIND_UNKNOWN`
 * for notifications this version does not know or could not read; the name and the JSON
 * are always there. The numbers are stable.
 */
enum tc_event_kind
#ifdef __cplusplus
  : int32_t
#endif // __cplusplus
 {
    /**
     * A notification this version does not know, or one it could not read.
     */
    TC_EVENT_KIND_UNKNOWN = 0,
    /**
     * `appStateChanged`: The application state changed (0 none ... 3 normal, 4 calling, 5 in a
     * call or conference, 6 closing).
     */
    TC_EVENT_KIND_APP_STATE_CHANGED = 1,
    /**
     * `conferenceCreated`: A conference (or a call: `confType` 0) started, ours or one we joined.
     */
    TC_EVENT_KIND_CONFERENCE_CREATED = 2,
    /**
     * `conferenceDeleted`: Our conference or call ended.
     */
    TC_EVENT_KIND_CONFERENCE_DELETED = 3,
    /**
     * `newParticipantInConference`: Someone joined the conference.
     */
    TC_EVENT_KIND_NEW_PARTICIPANT = 4,
    /**
     * `participantLeftConference`: Someone left the conference (or was removed).
     */
    TC_EVENT_KIND_PARTICIPANT_LEFT = 5,
    /**
     * `participantPresenceInWaitingRoomChanged`: To moderators: someone entered or left the
     * waiting room.
     */
    TC_EVENT_KIND_PARTICIPANT_PRESENCE_IN_WAITING_ROOM_CHANGED = 6,
    /**
     * `myStateInWaitingRoomChanged`: To us as a participant: we entered or left the waiting room.
     */
    TC_EVENT_KIND_MY_STATE_IN_WAITING_ROOM_CHANGED = 7,
    /**
     * `waitingRoomStateChanged`: The waiting room was turned on or off.
     */
    TC_EVENT_KIND_WAITING_ROOM_STATE_CHANGED = 8,
    /**
     * `smartMeetingModeChanged`: Smart meeting mode was turned on or off.
     */
    TC_EVENT_KIND_SMART_MEETING_MODE_CHANGED = 9,
    /**
     * `tariffRestrictionsChanged`: The licence changed.
     */
    TC_EVENT_KIND_TARIFF_RESTRICTIONS_CHANGED = 10,
    /**
     * `authorizationNeeded`: This connection must authorize again (`cause` 1: another client took
     * the role).
     */
    TC_EVENT_KIND_AUTHORIZATION_NEEDED = 11,
    /**
     * `inviteSent`: An invitation (or call) was sent to `peerId`.
     */
    TC_EVENT_KIND_INVITE_SENT = 12,
    /**
     * `rejectReceived`: `peerId` declined or could not be reached (`cause`: 2 busy, 16 no
     * answer...).
     */
    TC_EVENT_KIND_REJECT_RECEIVED = 13,
    /**
     * `requestInviteReceived`: Someone asks to join our conference: answer with `accept_peer` /
     * `reject_peer`.
     */
    TC_EVENT_KIND_REQUEST_INVITE_RECEIVED = 14,
    /**
     * `inviteReceived`: An incoming call or invitation: answer with `accept` / `reject`.
     */
    TC_EVENT_KIND_INVITE_RECEIVED = 15,
    /**
     * `login`: The room logged in (`result` 0 or true: success).
     */
    TC_EVENT_KIND_LOGIN = 16,
    /**
     * `logout`: The room logged out.
     */
    TC_EVENT_KIND_LOGOUT = 17,
    /**
     * `disconnected`: Synthetic (made by the library): The connection is gone for good (`reason`).
     * Always a client's last event.
     */
    TC_EVENT_KIND_DISCONNECTED = 18,
    /**
     * `malformedMessage`: Synthetic (made by the library): The room sent a frame that is not a
     * JSON object (`error`, `text`: a sample).
     */
    TC_EVENT_KIND_MALFORMED = 19,
    /**
     * `eventsLost`: Synthetic (made by the library): `count` events were dropped because the
     * reader fell behind; the room state is always current, read it to catch up (when state
     * changes were among the dropped, a `stateChanged` with `full` true follows).
     */
    TC_EVENT_KIND_EVENTS_LOST = 20,
    /**
     * `connectionLost`: Synthetic (made by the library): With reconnect on: the link dropped
     * (`reason`) and the client is reconnecting.
     */
    TC_EVENT_KIND_CONNECTION_LOST = 21,
    /**
     * `reconnected`: Synthetic (made by the library): With reconnect on: connected and authorized
     * again after `attempts` attempts; the room state has been read again.
     */
    TC_EVENT_KIND_RECONNECTED = 22,
    /**
     * `stateChanged`: Synthetic (made by the library): The room state changed: `changed` lists the
     * parts, `full` is true after a reconnect or an `eventsLost` gap (read the whole state).
     */
    TC_EVENT_KIND_STATE_CHANGED = 23,
    /**
     * `rejectSent`: We declined a call or a request to join.
     */
    TC_EVENT_KIND_REJECT_SENT = 24,
    /**
     * `stopCalling`: Ringing stopped before a call started (`side` 0 us, 1 them).
     */
    TC_EVENT_KIND_STOP_CALLING = 25,
    /**
     * `peerAccepted`: A peer accepted (our call, or our `accept_peer`).
     */
    TC_EVENT_KIND_PEER_ACCEPTED = 26,
    /**
     * `inviteRequestSent`: Our call reached a conference's owner as a request to join.
     */
    TC_EVENT_KIND_INVITE_REQUEST_SENT = 27,
    /**
     * `roleEventOccured`: Podium request, invitation or answer (`role`, `type`, `result`: see
     * `RoleEvent`).
     */
    TC_EVENT_KIND_ROLE_EVENT_OCCURED = 28,
    /**
     * `incomingPodiumInvitationRemoved`: Our pending invitation to the podium is gone (`reason` 0
     * accepted, 1 declined, 2 timed out, 3 conference ending).
     */
    TC_EVENT_KIND_PODIUM_INVITATION_REMOVED = 29,
    /**
     * `incomingRequestToPodiumAnswered`: We answered someone's request for the podium.
     */
    TC_EVENT_KIND_PODIUM_REQUEST_ANSWERED = 30,
    /**
     * `audioCapturerMute`: Our microphone was muted or unmuted.
     */
    TC_EVENT_KIND_MIC_MUTE = 31,
    /**
     * `videoCapturerMute`: Our camera was turned off or on.
     */
    TC_EVENT_KIND_CAMERA_MUTE = 32,
    /**
     * `audioRendererMute`: Our speaker was muted or unmuted.
     */
    TC_EVENT_KIND_SPEAKER_MUTE = 33,
    /**
     * `micStateChangedByConferenceOwner`: A moderator muted or unmuted our microphone.
     */
    TC_EVENT_KIND_MIC_MUTED_BY_OWNER = 34,
    /**
     * `cameraStateChangedByConferenceOwner`: A moderator turned our camera off or on.
     */
    TC_EVENT_KIND_CAMERA_MUTED_BY_OWNER = 35,
    /**
     * `deviceStatusReceived`: A participant's microphone or camera changed (0 none, 1 muted, 2
     * on).
     */
    TC_EVENT_KIND_DEVICE_STATUS_RECEIVED = 36,
    /**
     * `settingsChanged`: A setting changed (the volume is `audioPlayLevel`).
     */
    TC_EVENT_KIND_SETTINGS_CHANGED = 37,
    /**
     * `hardwareChanged`: Devices were plugged, unplugged or selected.
     */
    TC_EVENT_KIND_HARDWARE_CHANGED = 38,
    /**
     * `videoMatrixChanged`: The layout changed.
     */
    TC_EVENT_KIND_VIDEO_MATRIX_CHANGED = 39,
    /**
     * `monitorsInfoUpdated`: Monitors changed, or the main window moved to another one.
     */
    TC_EVENT_KIND_MONITORS_INFO_UPDATED = 40,
    /**
     * `videoSlotMovedToMonitor`: A video slot moved to a monitor of its own.
     */
    TC_EVENT_KIND_VIDEO_SLOT_MOVED_TO_MONITOR = 41,
    /**
     * `videoSlotRemovedFromMonitor`: A video slot came back from its monitor.
     */
    TC_EVENT_KIND_VIDEO_SLOT_REMOVED_FROM_MONITOR = 42,
    /**
     * `windowStateChanged`: The main window was minimized, maximized or restored.
     */
    TC_EVENT_KIND_WINDOW_STATE_CHANGED = 43,
    /**
     * `ptzControlsChanged`: The camera's pan, tilt or zoom changed.
     */
    TC_EVENT_KIND_PTZ_CONTROLS_CHANGED = 44,
    /**
     * `incomingChatMessage`: A chat message to us.
     */
    TC_EVENT_KIND_INCOMING_CHAT_MESSAGE = 45,
    /**
     * `incomingGroupChatMessage`: A chat message to the conference.
     */
    TC_EVENT_KIND_INCOMING_GROUP_CHAT_MESSAGE = 46,
    /**
     * `chatMessageSent`: Our chat message was sent.
     */
    TC_EVENT_KIND_CHAT_MESSAGE_SENT = 47,
    /**
     * `groupChatMessageSent`: Our group chat message was sent.
     */
    TC_EVENT_KIND_GROUP_CHAT_MESSAGE_SENT = 48,
    /**
     * `commandReceived`: An app-defined command from a participant.
     */
    TC_EVENT_KIND_COMMAND_RECEIVED = 49,
    /**
     * `commandSent`: Our app-defined command was sent.
     */
    TC_EVENT_KIND_COMMAND_SENT = 50,
    /**
     * `myEvent`: What a `fire_my_event` sent, on every control connection of the room.
     */
    TC_EVENT_KIND_MY_EVENT = 51,
    /**
     * `dsStarted`: Content sharing started.
     */
    TC_EVENT_KIND_CONTENT_STARTED = 52,
    /**
     * `dsStopped`: Content sharing stopped.
     */
    TC_EVENT_KIND_CONTENT_STOPPED = 53,
    /**
     * `serverConnected`: The room connected to its server.
     */
    TC_EVENT_KIND_SERVER_CONNECTED = 54,
    /**
     * `serverDisconnected`: The room lost its server.
     */
    TC_EVENT_KIND_SERVER_DISCONNECTED = 55,
};
#ifndef __cplusplus
typedef int32_t tc_event_kind;
#endif // __cplusplus

/**
 * Conference types, as `createConference` takes them and `conferenceCreated` reports them.
 * The values are the room's own numbers.
 */
enum tc_conf_type
#ifdef __cplusplus
  : int32_t
#endif // __cplusplus
 {
    /**
     * Not a group conference (a p2p call) or a type this version does not know.
     */
    TC_CONF_UNKNOWN = 0,
    /**
     * Everyone on screen.
     */
    TC_CONF_SYMMETRIC = 1,
    /**
     * Video lecture: one speaker, many listeners.
     */
    TC_CONF_ASYMMETRIC = 2,
    /**
     * Role-based: a podium and an audience.
     */
    TC_CONF_ROLE = 3,
};
#ifndef __cplusplus
typedef int32_t tc_conf_type;
#endif // __cplusplus

/**
 * Control roles a connection may ask for (PROTOCOL.md §3).
 */
enum tc_role
#ifdef __cplusplus
  : int32_t
#endif // __cplusplus
 {
    /**
     * Let the room decide (no `role` in `auth`).
     */
    TC_ROLE_ANY = 0,
    TC_ROLE_ADMIN = 1,
    TC_ROLE_USER = 2,
};
#ifndef __cplusplus
typedef int32_t tc_role;
#endif // __cplusplus

/**
 * How `tc_client_auto_answer` answers incoming calls and invitations.
 */
enum tc_auto_answer
#ifdef __cplusplus
  : int32_t
#endif // __cplusplus
 {
    /**
     * Stop answering (the default).
     */
    TC_AUTO_ANSWER_OFF = 0,
    /**
     * Accept every call.
     */
    TC_AUTO_ANSWER_ALL = 1,
    /**
     * Reject every call.
     */
    TC_AUTO_ANSWER_NOBODY = 2,
    /**
     * Accept the peers given, reject the rest.
     */
    TC_AUTO_ANSWER_LIST = 3,
};
#ifndef __cplusplus
typedef int32_t tc_auto_answer;
#endif // __cplusplus

/**
 * A client (opaque): one connection to a room at a time, its event queue and its
 * dispatcher thread. Thread-safe: every function taking `const tc_client*` may be called
 * from any thread, including from the client's own callbacks.
 */
typedef struct tc_client tc_client;

/**
 * Connection options (opaque). Made by `tc_client_options_new`, freed by
 * `tc_client_options_free`; `tc_client_new` copies it, so it may be freed right after.
 */
typedef struct tc_client_options tc_client_options;

/**
 * A started conference (opaque). One lent to a callback or by an event lives as long as
 * that call or event; one from `tc_create_conference_wait` or `tc_conference_copy` is the
 * caller's, freed with `tc_conference_free`.
 */
typedef struct tc_conference tc_conference;

/**
 * One event (opaque). Lent to an event callback for the duration of the call; returned by
 * `tc_client_next_event` or `tc_event_copy` to the caller, who frees it with `tc_event_free`.
 */
typedef struct tc_event tc_event;

/**
 * One participant (opaque), lent by its list or event for as long as that lives.
 */
typedef struct tc_participant tc_participant;

/**
 * The participants of a conference (opaque), owned by the caller: `tc_participant_list_free`.
 */
typedef struct tc_participant_list tc_participant_list;

/**
 * Everything `createConference` takes. Initialize with `tc_conference_params_init` (which
 * sets `struct_size` and the defaults), then set fields: fields added in later versions go at
 * the end, and a library reads only the `struct_size` bytes a caller was built with.
 * Booleans are `int`: 0 false, anything else true.
 */
typedef struct tc_conference_params {
    /**
     * `sizeof(tc_conference_params)` as the caller was compiled; set by the init function.
     */
    size_t struct_size;
    /**
     * UTF-8 title, required and not blank.
     */
    const char *title;
    /**
     * A `tc_conf_type` value other than `TC_CONF_UNKNOWN` (default `TC_CONF_SYMMETRIC`).
     */
    int32_t conf_type;
    /**
     * Participants may join without the owner's approval.
     */
    int auto_accept;
    /**
     * `invite_count` UTF-8 ids (PeerId, CallId or InstanceId); NULL when `invite_count` is 0.
     * Do not list yourself: the caller becomes the owner.
     */
    const char *const *invite_list;
    size_t invite_count;
    /**
     * Podium seats, one of the tariff's `maxCasters` values; 0 leaves it unset.
     */
    uint32_t casters_count;
    int use_waiting_room;
    int mute_cam_on_join;
    int mute_mic_on_join;
    /**
     * Role conferences with at least 4 podium seats only.
     */
    int smart_meeting;
} tc_conference_params;

/**
 * Progress of `tc_create_conference`, on the client's dispatcher thread. Called with
 * `ACCEPTED` at most once, then exactly one final stage (`STARTED`, `REFUSED` or `FAILED`),
 * after which `user_data` is no longer used. `conference`, `json` and `message` are lent for
 * the call only and may be NULL (`conference` is set only for `STARTED`).
 */
typedef void (*tc_conference_callback)(void *user_data,
                                       tc_conference_stage stage,
                                       tc_status status,
                                       const struct tc_conference *conference,
                                       const char *json,
                                       const char *message);

/**
 * Receives one event on the client's dispatcher thread. `event` is lent for the call only
 * (`tc_event_copy` keeps it).
 */
typedef void (*tc_event_callback)(void *user_data, const struct tc_event *event);

/**
 * Releases user data once the library no longer needs it.
 */
typedef void (*tc_free_user_data)(void *user_data);

/**
 * Receives the outcome of `tc_client_request_json_async`, exactly once, on the client's
 * dispatcher thread. `reply_json` (the room's whole reply) is set for `TC_STATUS_OK` and
 * `TC_STATUS_REFUSED`, else NULL; `error_message` is NULL on success. Both are lent for the
 * call only.
 */
typedef void (*tc_json_callback)(void *user_data,
                                 tc_status status,
                                 const char *reply_json,
                                 const char *error_message);

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The library's version as "MAJOR.MINOR.PATCH" (static; do not free). Compare with the
 * `TC_VERSION_*` macros to detect a header/library mismatch.
 */
const char *tc_version(void);

/**
 * Makes a client from `options` (copied; NULL means the defaults). No connection yet:
 * register an event callback first if you want one, then `tc_client_connect`. Starts the
 * client's dispatcher thread.
 */
tc_status tc_client_new(const struct tc_client_options *options, struct tc_client **out_client);

/**
 * Connects and authorizes, blocking up to `timeout_ms` (0: 10 s): discovery through the
 * web port unless a WebSocket port is set, then `auth` with the PIN or unsecured. Events
 * are captured from the moment the socket opens. `TC_STATUS_BUSY` when already connected;
 * after a disconnection (or `tc_client_close`) it connects again.
 */
tc_status tc_client_connect(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Closes the connection (blocking briefly for the close frame). Pending calls fail with
 * `TC_STATUS_DISCONNECTED`, and the `disconnected` event is queued. The client can connect
 * again. Closing a client that is not connected does nothing.
 */
tc_status tc_client_close(const struct tc_client *client);

/**
 * 1 while connected, else 0 (also for NULL).
 */
int tc_client_is_connected(const struct tc_client *client);

/**
 * The live room state as JSON (free with `tc_string_free`), kept current from every event and
 * read again after every (re)connect: `connected`, `authorized`, `app_state`, `in_call`,
 * `http_port`, `conference`, `participants` (with `mic`, `video`, `role`, `broadcast`),
 * `tariff`, `own_peer_id`, `login`, `mic_muted`, `camera_muted`, `speaker_muted`, `volume`,
 * `hardware` (devices present and in use), `video_matrix`, `monitors`, `window`, `ptz`,
 * `incoming_call`, `join_requests`, `podium_invitation`, `podium_requests`, `server_state`,
 * `server`, `content`; `null` (or empty) where the room has not told. With state events on
 * (the default), a `stateChanged` event on the client's queue (`changed`: the parts) says
 * when to read it again; it is current even when the queue dropped events.
 */
tc_status tc_client_state_json(const struct tc_client *client, char **out_json);

/**
 * Frees the client. NULL is ignored. In order: pending calls and polls end with
 * `TC_STATUS_CLOSED`; queued events are dropped; the connection is closed; the final
 * callbacks of pending async calls run (with `TC_STATUS_CLOSED`); the dispatcher thread is
 * joined; the event callback's `free_user_data` runs. When it returns, no callback of this
 * client runs again. From inside any tcroom callback (this client's or another's) it does
 * nothing and returns `TC_STATUS_IN_CALLBACK`: two clients freeing each other from their
 * callbacks would otherwise wait for each other for ever. No other thread may use the client
 * once this is called.
 */
tc_status tc_client_free(struct tc_client *client);

/**
 * The conference id (`confId`). NULL only when `conference` is NULL.
 */
const char *tc_conference_id(const struct tc_conference *conference);

/**
 * The title (`confTitle`), or NULL when the room did not say.
 */
const char *tc_conference_title(const struct tc_conference *conference);

/**
 * A `tc_conf_type` value; `TC_CONF_UNKNOWN` for a p2p call or an unknown number.
 */
int32_t tc_conference_type(const struct tc_conference *conference);

/**
 * The owner's CallId (`conferenceOwner`), or NULL.
 */
const char *tc_conference_owner(const struct tc_conference *conference);

/**
 * The link others use to join (`joinUrl`), or NULL.
 */
const char *tc_conference_join_url(const struct tc_conference *conference);

/**
 * The real-time management page (`realTimeConferenceManagmentUrl` on the wire), or NULL.
 */
const char *tc_conference_management_url(const struct tc_conference *conference);

/**
 * 1 when the waiting room is on, else 0.
 */
int tc_conference_waiting_room_enabled(const struct tc_conference *conference);

/**
 * 1 when the waiting room can be switched during the conference, else 0.
 */
int tc_conference_waiting_room_switchable(const struct tc_conference *conference);

/**
 * 1 for a smart meeting, else 0.
 */
int tc_conference_is_smart_meeting(const struct tc_conference *conference);

/**
 * The most participants the conference admits (`maxParticipants`), 0 when unknown.
 */
uint32_t tc_conference_max_participants(const struct tc_conference *conference);

/**
 * The most podium seats (`maxParticipantsOnPodium`), 0 when unknown.
 */
uint32_t tc_conference_max_podium(const struct tc_conference *conference);

/**
 * The whole `conferenceCreated` notification as JSON ("null" when the room sent none).
 */
const char *tc_conference_json(const struct tc_conference *conference);

/**
 * Copies a conference (for example one lent to a callback) into `*out`, to keep after the
 * call; free it with `tc_conference_free`.
 */
tc_status tc_conference_copy(const struct tc_conference *conference,
                             struct tc_conference **out_conference);

/**
 * Frees a conference the caller owns. NULL is ignored. Never pass one lent by a callback or
 * an event.
 */
void tc_conference_free(struct tc_conference *conference);

/**
 * Fills `*params` with the defaults and sets its `struct_size`; pass
 * `sizeof(tc_conference_params)` as `struct_size`. Defaults: no title, `TC_CONF_SYMMETRIC`,
 * no invitees, every flag off, `casters_count` unset.
 */
tc_status tc_conference_params_init(struct tc_conference_params *params, size_t struct_size);

/**
 * Asks the room to create a conference and returns at once. `callback` (required) runs on
 * the client's dispatcher thread: `ACCEPTED` when the room takes the request, then `STARTED`
 * with the conference (confId, joinUrl, limits) when `conferenceCreated` arrives; or a final
 * `REFUSED`/`FAILED`. `timeout_ms` (0: the request time-out) bounds the whole, acceptance
 * and start. Parameters are checked before anything is sent: a bad one returns
 * `TC_STATUS_INVALID_ARGUMENT` (or `NULL_POINTER`, `INVALID_UTF8`) and the callback is not
 * called; likewise `TC_STATUS_DISCONNECTED` when not connected.
 */
tc_status tc_create_conference(const struct tc_client *client,
                               const struct tc_conference_params *params,
                               uint32_t timeout_ms,
                               tc_conference_callback callback,
                               void *user_data);

/**
 * Creates a conference and blocks until it has started (or `timeout_ms`, 0: the request
 * time-out, has passed). On success `*out_conference` is the caller's: free it with
 * `tc_conference_free`. A refusal returns `TC_STATUS_REFUSED` with the room's text in
 * `tc_last_error`.
 */
tc_status tc_create_conference_wait(const struct tc_client *client,
                                    const struct tc_conference_params *params,
                                    uint32_t timeout_ms,
                                    struct tc_conference **out_conference);

/**
 * Registers `callback` to receive every event, on the client's dispatcher thread, in order;
 * events already queued are delivered first. NULL `callback` unregisters, and events queue
 * up for `tc_client_next_event` again. The previous registration's `free_user_data` (if any)
 * runs once, after its last callback has returned; the new one's runs at the next
 * replacement or in `tc_client_free`. May be called from inside a callback.
 */
tc_status tc_client_set_event_callback(const struct tc_client *client,
                                       tc_event_callback callback,
                                       void *user_data,
                                       tc_free_user_data free_user_data);

/**
 * Takes the next event into `*out_event` (free it with `tc_event_free`), waiting up to
 * `timeout_ms` (0: do not wait; `TC_WAIT_FOREVER`: no limit). Returns `TC_STATUS_TIMEOUT`
 * when none came, `TC_STATUS_INTERRUPTED` after `tc_client_wake`, `TC_STATUS_DISCONNECTED`
 * at once when the queue is empty and no connection is up (so a loop ends after the
 * `disconnected` event), `TC_STATUS_BUSY` while an event callback is registered, and
 * `TC_STATUS_CLOSED` once `tc_client_free` has begun.
 */
tc_status tc_client_next_event(const struct tc_client *client,
                               uint32_t timeout_ms,
                               struct tc_event **out_event);

/**
 * Makes the current (or next) `tc_client_next_event` of this client return
 * `TC_STATUS_INTERRUPTED`, and the event descriptor readable until then. Any thread may call
 * it (not a signal handler: it takes a lock).
 */
tc_status tc_client_wake(const struct tc_client *client);

/**
 * Writes a descriptor to `*out_fd` that is readable exactly while `tc_client_next_event`
 * would return at once (an event waits, or a wake is pending): add it to select/poll/epoll
 * (level-triggered), a QSocketNotifier or a GSource, then call `tc_client_next_event` with
 * timeout 0. Owned by the client: do not read, write or close it. POSIX only
 * (`TC_STATUS_UNSUPPORTED` elsewhere).
 */
tc_status tc_client_event_fd(const struct tc_client *client, int32_t *out_fd);

/**
 * Copies the message of the calling thread's most recent failed `tc_` call into `buf`
 * (`len` bytes, NUL-terminated, truncated at a UTF-8 boundary if needed) and writes its full
 * length without the NUL to `*out_len` when `out_len` is not NULL. The message is empty when
 * nothing has failed on this thread yet. Successful calls do not clear it; this call never
 * changes it. `buf` may be NULL when `len` is 0, to ask for the length.
 *
 * Returns `TC_STATUS_OK`, or `TC_STATUS_BUFFER_TOO_SMALL` when the message was truncated.
 */
tc_status tc_last_error(char *buf, size_t len, size_t *out_len);

/**
 * The event's wire name (`"conferenceCreated"`, or `"disconnected"`, `"malformedMessage"`,
 * `"eventsLost"` for the synthetic ones). NULL only when `event` is NULL.
 */
const char *tc_event_name(const struct tc_event *event);

/**
 * The `tc_event_kind` of the event (`TC_EVENT_KIND_UNKNOWN` for NULL).
 */
tc_event_kind tc_event_get_kind(const struct tc_event *event);

/**
 * The whole notification as JSON text.
 */
const char *tc_event_json(const struct tc_event *event);

/**
 * `confId`, or NULL when the event has none.
 */
const char *tc_event_conf_id(const struct tc_event *event);

/**
 * `peerId` (or `callId`, which waiting-room events use), or NULL when the event has none.
 */
const char *tc_event_peer_id(const struct tc_event *event);

/**
 * For `conferenceCreated`: the conference, lent for as long as the event lives; else NULL.
 */
const struct tc_conference *tc_event_conference(const struct tc_event *event);

/**
 * For `newParticipantInConference`: the participant, lent for as long as the event lives;
 * else NULL.
 */
const struct tc_participant *tc_event_participant(const struct tc_event *event);

/**
 * Copies top-level field `field` as text (numbers and booleans are formatted) into `buf`
 * (`len` bytes, NUL-terminated); `*out_len`, when not NULL, gets the full length without
 * the NUL even when the buffer is too small. `TC_STATUS_NOT_FOUND` when absent or not a
 * scalar; `TC_STATUS_BUFFER_TOO_SMALL` when truncated.
 */
tc_status tc_event_get_string(const struct tc_event *event,
                              const char *field,
                              char *buf,
                              size_t len,
                              size_t *out_len);

/**
 * Reads top-level field `field` as an integer (numeric strings accepted) into `*out_value`.
 * `TC_STATUS_NOT_FOUND` when absent or not a number.
 */
tc_status tc_event_get_int(const struct tc_event *event, const char *field, int64_t *out_value);

/**
 * Reads top-level field `field` as a boolean (0/1 and "true"/"false" accepted) into
 * `*out_value` (0 or 1). `TC_STATUS_NOT_FOUND` when absent or not a boolean.
 */
tc_status tc_event_get_bool(const struct tc_event *event, const char *field, int *out_value);

/**
 * Copies an event (for example one lent to a callback) into `*out_event`; free it with
 * `tc_event_free`.
 */
tc_status tc_event_copy(const struct tc_event *event, struct tc_event **out_event);

/**
 * Frees an event the caller owns. NULL is ignored. Never pass one lent to a callback.
 */
void tc_event_free(struct tc_event *event);

/**
 * The room's application state (PROTOCOL.md §4) and the embedded HTTP server's port.
 *
 * Sends `getAppState` [doc]. The reply: `appState` (0 none ... 3 normal, 4 calling, 5 in a call or
 * conference) and the embedded HTTP port.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_app_state`: receives the value.
 */
tc_status tc_client_get_app_state(const struct tc_client *client,
                                  uint32_t timeout_ms,
                                  int32_t *out_app_state);

/**
 * What the room's licence allows: group conferences, podium seats per schema.
 *
 * Sends `getTariffRestrictions` [doc]. The reply: what the room's licence allows (`createMulti`,
 * the schemas of podium seats).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_tariff_restrictions(const struct tc_client *client,
                                            uint32_t timeout_ms,
                                            char **out_json);

/**
 * Who the room is (`authInfo.peerId`) and what it runs on.
 *
 * Sends `getSystemInfo` [doc]. The reply: who the room is (`authInfo.peerId`) and everything else
 * it reports.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_system_info(const struct tc_client *client,
                                    uint32_t timeout_ms,
                                    char **out_json);

/**
 * The conferences the room lists.
 *
 * Sends `getConferences` [doc]. The reply: the conferences the room lists (C: a JSON array of them
 * as sent).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_conferences(const struct tc_client *client,
                                    uint32_t timeout_ms,
                                    char **out_json);

/**
 * A token for the embedded HTTP server (frames). The client fetches and refreshes it
 * for `frame()` itself; this is for callers that build URLs of their own.
 *
 * Sends `getTokenForHttpServer` [doc]. The reply: `token` for the embedded HTTP server (lives 5
 * minutes; the client fetches and refreshes it for frames).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_token`: receives the text; free it with `tc_string_free`.
 */
tc_status tc_client_get_token_for_http_server(const struct tc_client *client,
                                              uint32_t timeout_ms,
                                              char **out_token);

/**
 * Turns the waiting room on or off. When turning it off, `users_must_be_invited`
 * true admits everyone waiting, false removes them.
 *
 * Sends `setWaitingRoomState` [doc]; who: moderator. The reply: the `confId` of the conference it
 * applied to.
 * - `enable`: (0 false, anything else true; wire `enable`).
 * - `users_must_be_invited`: (0 false, anything else true; the room's default is true; wire
 *   `isUsersMustBeInvited`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_conf_id`: may be NULL when not wanted; receives the text or NULL when the room sent none;
 *   free it with `tc_string_free`.
 */
tc_status tc_client_set_waiting_room_state(const struct tc_client *client,
                                           int enable,
                                           int users_must_be_invited,
                                           uint32_t timeout_ms,
                                           char **out_conf_id);

/**
 * Moves a participant (InstanceId) into the waiting room, or lets them in.
 * Moderators cannot be moved there.
 *
 * Sends `setParticipantPresenceInWaitingRoom` [doc]; who: moderator. The reply: the `confId` of
 * the conference it applied to.
 * - `call_id`: (non-empty UTF-8 text; wire `callId`).
 * - `in_waiting_room`: (0 false, anything else true; wire `inWaitingRoom`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_conf_id`: may be NULL when not wanted; receives the text or NULL when the room sent none;
 *   free it with `tc_string_free`.
 */
tc_status tc_client_set_participant_presence_in_waiting_room(const struct tc_client *client,
                                                             const char *call_id,
                                                             int in_waiting_room,
                                                             uint32_t timeout_ms,
                                                             char **out_conf_id);

/**
 * The participants of the current conference, the room itself included.
 *
 * Sends `getConferenceParticipants` [doc]. The reply: the participants of the current conference
 * (the room itself included) and its `confId`.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_list`: receives the list; free it with `tc_participant_list_free`.
 */
tc_status tc_client_get_conference_participants(const struct tc_client *client,
                                                uint32_t timeout_ms,
                                                struct tc_participant_list **out_list);

/**
 * Invites a PeerId, CallId or InstanceId into the current conference; the answer
 * comes as `inviteSent`, then `newParticipantInConference` or `rejectReceived`.
 *
 * Sends `inviteToConference` [doc]; who: moderator. The reply: accepted (the outcome, if any,
 * arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_invite_to_conference(const struct tc_client *client,
                                         const char *peer_id,
                                         uint32_t timeout_ms);

/**
 * Switches a role conference into or out of smart meeting mode.
 *
 * Sends `changeConferenceMode` [seen]; who: moderator. The reply: accepted (the outcome, if any,
 * arrives as notifications).
 * - `is_smart_meeting`: (0 false, anything else true; wire `isSmartMeeting`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_change_conference_mode(const struct tc_client *client,
                                           int is_smart_meeting,
                                           uint32_t timeout_ms);

/**
 * The link others use to join the current conference.
 *
 * Sends `getSessionLink` [guess]. The reply: the link (read from `link`, `url` or `joinUrl`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_link`: receives the text; free it with `tc_string_free`.
 */
tc_status tc_client_get_session_link(const struct tc_client *client,
                                     uint32_t timeout_ms,
                                     char **out_link);

/**
 * Calls a peer (PeerId, CallId or InstanceId), or joins a conference by its id;
 * `pin` is the conference's password. Accepted at once: `inviteSent`, then
 * `conferenceCreated` when answered or `rejectReceived` when not.
 *
 * Sends `call` [doc]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `pin`: The conference password, when joining a protected conference. (UTF-8 text, or NULL to
 *   leave it out; wire `pin`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_call(const struct tc_client *client,
                         const char *peer_id,
                         const char *pin,
                         uint32_t timeout_ms);

/**
 * Answers the incoming call or invitation (after `inviteReceived`).
 *
 * Sends `accept` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_accept(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Declines the incoming call or invitation.
 *
 * Sends `reject` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_reject(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Leaves the call or conference, or ends it for everyone (`for_all`, owner or
 * moderator only).
 *
 * Sends `hangUp` [doc]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `for_all`: (0 false, anything else true; the room's default is false; wire `forAll`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_hang_up(const struct tc_client *client, int for_all, uint32_t timeout_ms);

/**
 * Lets in someone who asked to join our conference (`requestInviteReceived`).
 *
 * Sends `acceptPeer` [doc]; who: owner. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `peer_id`: Their InstanceId, from `requestInviteReceived`. (non-empty UTF-8 text; wire
 *   `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_accept_peer(const struct tc_client *client,
                                const char *peer_id,
                                uint32_t timeout_ms);

/**
 * Turns away someone who asked to join our conference.
 *
 * Sends `rejectPeer` [doc]; who: owner. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_reject_peer(const struct tc_client *client,
                                const char *peer_id,
                                uint32_t timeout_ms);

/**
 * Removes a participant (InstanceId) from the conference.
 *
 * Sends `kickPeer` [doc]; who: moderator. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_kick_peer(const struct tc_client *client,
                              const char *peer_id,
                              uint32_t timeout_ms);

/**
 * Turns the current call into an all-on-screen conference and invites more people
 * (the other side of the call comes along).
 *
 * Sends `expandCallToMulti` [doc]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `title`: (non-empty UTF-8 text; wire `title`).
 * - `invite`: (invite strings of UTF-8 text (NULL when the count is 0)_count; the room's default is
 *   []; wire `inviteList`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_expand_call_to_multi(const struct tc_client *client,
                                         const char *title,
                                         const char *const *invite,
                                         size_t invite_count,
                                         uint32_t timeout_ms);

/**
 * The latest calls, newest first.
 *
 * Sends `getCallHistory` [doc]. The reply: `getCallHistory`: the latest calls, newest first.
 * - `count`: How many entries at most. (an integer, 1 or more; the room's default is 20; wire
 *   `count`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_call_history(const struct tc_client *client,
                                     uint32_t count,
                                     uint32_t timeout_ms,
                                     char **out_json);

/**
 * Invites a participant (InstanceId) to the podium.
 *
 * Sends `inviteToPodium` [seen]; who: moderator. The reply: accepted (the outcome, if any, arrives
 * as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_invite_to_podium(const struct tc_client *client,
                                     const char *peer_id,
                                     uint32_t timeout_ms);

/**
 * Sends a participant (InstanceId) off the podium.
 *
 * Sends `kickFromPodium` [doc]; who: moderator. The reply: accepted (the outcome, if any, arrives
 * as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_kick_from_podium(const struct tc_client *client,
                                     const char *peer_id,
                                     uint32_t timeout_ms);

/**
 * Grants a participant's request for the podium.
 *
 * Sends `acceptRequestToPodium` [doc]; who: moderator. The reply: accepted (the outcome, if any,
 * arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_accept_request_to_podium(const struct tc_client *client,
                                             const char *peer_id,
                                             uint32_t timeout_ms);

/**
 * Declines a participant's request for the podium.
 *
 * Sends `rejectRequestToPodium` [doc]; who: moderator. The reply: accepted (the outcome, if any,
 * arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_reject_request_to_podium(const struct tc_client *client,
                                             const char *peer_id,
                                             uint32_t timeout_ms);

/**
 * Accepts the pending invitation to the podium.
 *
 * Sends `acceptInvitationToPodium` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_accept_invitation_to_podium(const struct tc_client *client,
                                                uint32_t timeout_ms);

/**
 * Declines the pending invitation to the podium.
 *
 * Sends `rejectInvitationToPodium` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_reject_invitation_to_podium(const struct tc_client *client,
                                                uint32_t timeout_ms);

/**
 * Asks for the podium (the owner takes it at once).
 *
 * Sends `gotoPodium` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_goto_podium(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Leaves the podium.
 *
 * Sends `leavePodium` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_leave_podium(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Turns a participant's microphone on or off.
 *
 * Sends `turnRemoteMic` [doc]; who: moderator. The reply: accepted (the outcome, if any, arrives
 * as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `on`: True turns it on (unmutes). (0 false, anything else true; wire `on`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_turn_remote_mic(const struct tc_client *client,
                                    const char *peer_id,
                                    int on,
                                    uint32_t timeout_ms);

/**
 * Turns a participant's camera on or off.
 *
 * Sends `turnRemoteCamera` [doc]; who: moderator. The reply: accepted (the outcome, if any,
 * arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `on`: (0 false, anything else true; wire `on`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_turn_remote_camera(const struct tc_client *client,
                                       const char *peer_id,
                                       int on,
                                       uint32_t timeout_ms);

/**
 * Turns a participant's speaker on or off.
 *
 * Sends `turnRemoteSpeaker` [doc]; who: moderator. The reply: accepted (the outcome, if any,
 * arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `on`: (0 false, anything else true; wire `on`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_turn_remote_speaker(const struct tc_client *client,
                                        const char *peer_id,
                                        int on,
                                        uint32_t timeout_ms);

/**
 * Mutes or unmutes the room's microphone; `audioCapturerMute` follows.
 *
 * Sends `setMicMute` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `mute`: (0 false, anything else true; wire `mute`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_mic_mute(const struct tc_client *client, int mute, uint32_t timeout_ms);

/**
 * Whether the room's microphone is muted.
 *
 * Sends `getMicMute` [seen]. The reply: `mute`: true when muted.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_mute`: receives 0 or 1.
 */
tc_status tc_client_get_mic_mute(const struct tc_client *client,
                                 uint32_t timeout_ms,
                                 int *out_mute);

/**
 * Turns the room's camera off (mute) or on; `videoCapturerMute` follows.
 *
 * Sends `setVideoMute` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `mute`: (0 false, anything else true; wire `mute`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_video_mute(const struct tc_client *client, int mute, uint32_t timeout_ms);

/**
 * Whether the room's camera is off.
 *
 * Sends `getVideoMute` [seen]. The reply: `mute`: true when muted.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_mute`: receives 0 or 1.
 */
tc_status tc_client_get_video_mute(const struct tc_client *client,
                                   uint32_t timeout_ms,
                                   int *out_mute);

/**
 * Mutes or unmutes the room's speaker (playback); `audioRendererMute` follows.
 *
 * Sends `setAudioMute` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `mute`: (0 false, anything else true; wire `mute`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_audio_mute(const struct tc_client *client, int mute, uint32_t timeout_ms);

/**
 * Whether the room's speaker is muted.
 *
 * Sends `getAudioMute` [seen]. The reply: `mute`: true when muted.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_mute`: receives 0 or 1.
 */
tc_status tc_client_get_audio_mute(const struct tc_client *client,
                                   uint32_t timeout_ms,
                                   int *out_mute);

/**
 * Every setting of the room, as name and value.
 *
 * Sends `getSettings` [doc]. The reply: `getSettings`: every setting the room reports.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_settings(const struct tc_client *client,
                                 uint32_t timeout_ms,
                                 char **out_json);

/**
 * Changes settings (`settings`: names to values); `settingsChanged` follows for each.
 *
 * Sends `setSettings` [doc]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `settings`: (a JSON object as text; wire `settings`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_settings(const struct tc_client *client,
                                 const char *settings,
                                 uint32_t timeout_ms);

/**
 * The speaker volume, 0.0 to 1.0 (the `audioPlayLevel` setting).
 *
 * Sends `getSettings` [doc]. The reply: the speaker volume (`audioPlayLevel`), 0.0 to 1.0.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_volume`: receives the value.
 */
tc_status tc_client_get_volume(const struct tc_client *client,
                               uint32_t timeout_ms,
                               double *out_volume);

/**
 * Sets the speaker volume, 0.0 to 1.0 (the `audioPlayLevel` setting).
 *
 * Sends `setSettings` [doc]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `level`: (a number from 0.0 to 1.0; wire `settings.audioPlayLevel`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_volume(const struct tc_client *client, double level, uint32_t timeout_ms);

/**
 * The microphones, speakers and cameras present, the ones in use, and what can be
 * shared as content.
 *
 * Sends `getHardware` [doc]. The reply: The devices present and the ones in use (`getHardware`,
 * `hardwareChanged`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_hardware(const struct tc_client *client,
                                 uint32_t timeout_ms,
                                 char **out_json);

/**
 * Selects the camera (`name` from `get_hardware`; `none` for no camera).
 *
 * Sends `setVideoCapturer` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `name`: (non-empty UTF-8 text; wire `name`).
 * - `description`: The device's `description` (its system id), to tell same-named devices apart.
 *   (UTF-8 text, or NULL to leave it out; wire `description`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_video_capturer(const struct tc_client *client,
                                       const char *name,
                                       const char *description,
                                       uint32_t timeout_ms);

/**
 * Selects the microphone.
 *
 * Sends `setAudioCapturer` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `name`: (non-empty UTF-8 text; wire `name`).
 * - `description`: (UTF-8 text, or NULL to leave it out; wire `description`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_audio_capturer(const struct tc_client *client,
                                       const char *name,
                                       const char *description,
                                       uint32_t timeout_ms);

/**
 * Selects the speaker.
 *
 * Sends `setAudioRenderer` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `name`: (non-empty UTF-8 text; wire `name`).
 * - `description`: (UTF-8 text, or NULL to leave it out; wire `description`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_audio_renderer(const struct tc_client *client,
                                       const char *name,
                                       const char *description,
                                       uint32_t timeout_ms);

/**
 * The layout of the main window: its type and the video slots.
 *
 * Sends `getVideoMatrix` [doc]. The reply: `getVideoMatrix` / `videoMatrixChanged`: the layout of
 * the main window.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_video_matrix(const struct tc_client *client,
                                     uint32_t timeout_ms,
                                     char **out_json);

/**
 * Changes the layout type (0 one window ... 5; slots keep their places).
 *
 * Sends `changeVideoMatrixType` [doc]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `matrix_type`: (an integer, 0 or more; wire `matrixType`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_change_video_matrix_type(const struct tc_client *client,
                                             uint32_t matrix_type,
                                             uint32_t timeout_ms);

/**
 * Sets the layout type and the order of the slots (slot ids; the first is the
 * large one; our own camera is `#self:0`).
 *
 * Sends `changeVideoMatrix` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `matrix_type`: (an integer, 0 or more; wire `matrixType`).
 * - `participants`: (participants strings of UTF-8 text (NULL when the count is 0)_count; wire
 *   `participants`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_change_video_matrix(const struct tc_client *client,
                                        uint32_t matrix_type,
                                        const char *const *participants,
                                        size_t participants_count,
                                        uint32_t timeout_ms);

/**
 * Swaps two video slots.
 *
 * Sends `swapVideoSlots` [doc]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `call_id1`: (non-empty UTF-8 text; wire `callId1`).
 * - `call_id2`: (non-empty UTF-8 text; wire `callId2`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_swap_video_slots(const struct tc_client *client,
                                     const char *call_id1,
                                     const char *call_id2,
                                     uint32_t timeout_ms);

/**
 * Shows a hidden video slot.
 *
 * Sends `showVideoSlot` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `call_id`: (non-empty UTF-8 text; wire `callId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_show_video_slot(const struct tc_client *client,
                                    const char *call_id,
                                    uint32_t timeout_ms);

/**
 * Hides a video slot.
 *
 * Sends `hideVideoSlot` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `call_id`: (non-empty UTF-8 text; wire `callId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_hide_video_slot(const struct tc_client *client,
                                    const char *call_id,
                                    uint32_t timeout_ms);

/**
 * The monitors of the room's computer and the one showing the main window.
 *
 * Sends `getMonitorsInfo` [doc]. The reply: `getMonitorsInfo` / `monitorsInfoUpdated`.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_monitors_info(const struct tc_client *client,
                                      uint32_t timeout_ms,
                                      char **out_json);

/**
 * Moves a video slot to a monitor of its own.
 *
 * Sends `moveVideoSlotToMonitor` [doc]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `call_id`: (non-empty UTF-8 text; wire `callId`).
 * - `monitor_index`: (an integer, 0 or more; wire `monitorIndex`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_move_video_slot_to_monitor(const struct tc_client *client,
                                               const char *call_id,
                                               uint32_t monitor_index,
                                               uint32_t timeout_ms);

/**
 * Brings the slot shown on a monitor back into the main window.
 *
 * Sends `removeVideoSlotFromMonitor` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `monitor_index`: (an integer, 0 or more; wire `monitorIndex`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_remove_video_slot_from_monitor(const struct tc_client *client,
                                                   uint32_t monitor_index,
                                                   uint32_t timeout_ms);

/**
 * Moves the main window to another monitor.
 *
 * Sends `changeCurrentMonitor` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `monitor_index`: (an integer, 0 or more; wire `monitorIndex`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_change_current_monitor(const struct tc_client *client,
                                           uint32_t monitor_index,
                                           uint32_t timeout_ms);

/**
 * Changes the main window: 0 normal, 1 minimized, 2 maximized (full screen).
 *
 * Sends `changeWindowState` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `window_state`: (an integer, 0 or more; wire `windowState`).
 * - `stay_on_top`: (0 false, anything else true; the room's default is false; wire `stayOnTop`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_change_window_state(const struct tc_client *client,
                                        uint32_t window_state,
                                        int stay_on_top,
                                        uint32_t timeout_ms);

/**
 * Brings the main window back to its normal state (from minimized or full
 * screen); then `windowStateChanged`.
 *
 * Sends `restoreWindow` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_restore_window(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Pan, tilt and zoom of the camera in use: support, range, current value.
 *
 * Sends `getPtzControls` [doc]. The reply: `getPtzControls` / `ptzControlsChanged`.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_ptz_controls(const struct tc_client *client,
                                     uint32_t timeout_ms,
                                     char **out_json);

/**
 * Pans the camera left (until `ptz_stop` on continuous cameras).
 *
 * Sends `ptzLeft` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_left(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Pans the camera right.
 *
 * Sends `ptzRight` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_right(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Tilts the camera up.
 *
 * Sends `ptzUp` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_up(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Tilts the camera down.
 *
 * Sends `ptzDown` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_down(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Zooms in.
 *
 * Sends `ptzZoomInc` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_zoom_inc(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Zooms out.
 *
 * Sends `ptzZoomDec` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_zoom_dec(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Stops a continuous move.
 *
 * Sends `ptzStop` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_ptz_stop(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Pans to a position within the camera's range (checked against the last known
 * `get_ptz_controls`).
 *
 * Sends `setPanPos` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `pos`: (an integer; wire `pos`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_pan_pos(const struct tc_client *client, int64_t pos, uint32_t timeout_ms);

/**
 * Tilts to a position within the camera's range.
 *
 * Sends `setTiltPos` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `pos`: (an integer; wire `pos`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_tilt_pos(const struct tc_client *client, int64_t pos, uint32_t timeout_ms);

/**
 * Zooms to a position within the camera's range.
 *
 * Sends `setZoomPos` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `pos`: (an integer; wire `pos`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_zoom_pos(const struct tc_client *client, int64_t pos, uint32_t timeout_ms);

/**
 * Moves the camera back to its default pan, tilt and zoom.
 *
 * Sends `setPtzDefaults` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_set_ptz_defaults(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Sends a chat message to a user (PeerId or CallId, not an InstanceId).
 *
 * Sends `sendMessage` [doc]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `message`: (UTF-8 text; wire `message`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_send_message(const struct tc_client *client,
                                 const char *peer_id,
                                 const char *message,
                                 uint32_t timeout_ms);

/**
 * Sends a chat message to everyone in the conference.
 *
 * Sends `sendGroupMessage` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `message`: (UTF-8 text; wire `message`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_send_group_message(const struct tc_client *client,
                                       const char *message,
                                       uint32_t timeout_ms);

/**
 * Sends an app-defined command to a participant (InstanceId) during a call or
 * conference; it arrives as `commandReceived`, never in the chat.
 *
 * Sends `sendCommand` [doc]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `peer_id`: (non-empty UTF-8 text; wire `peerId`).
 * - `command`: (UTF-8 text; wire `command`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_send_command(const struct tc_client *client,
                                 const char *peer_id,
                                 const char *command,
                                 uint32_t timeout_ms);

/**
 * Sends `data` to every control connection of the room (ours included) as `myEvent`.
 *
 * Sends `fireMyEvent` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `data`: (UTF-8 text; wire `data`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_fire_my_event(const struct tc_client *client,
                                  const char *data,
                                  uint32_t timeout_ms);

/**
 * Starts sharing a window or screen (an id of `Hardware::capture_sources`).
 *
 * Sends `startCapture` [seen]. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `capture_id`: (an integer; wire `captureId`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_start_capture(const struct tc_client *client,
                                  int64_t capture_id,
                                  uint32_t timeout_ms);

/**
 * Stops sharing content.
 *
 * Sends `stopCapture` [seen]. The reply: accepted (the outcome, if any, arrives as notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_stop_capture(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Connects the room to a TrueConf server (appState 0 to 2 only).
 *
 * Sends `connectToServer` [doc]; who: admin. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `server`: (non-empty UTF-8 text; wire `server`).
 * - `port`: (a port, 1..=65535; 0 for 4307; wire `port`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_connect_to_server(const struct tc_client *client,
                                      const char *server,
                                      uint16_t port,
                                      uint32_t timeout_ms);

/**
 * Logs the room in to its server (appState 2). The password is sent as is and never
 * logged.
 *
 * Sends `login` [doc]; who: admin. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `login`: (non-empty UTF-8 text; wire `login`).
 * - `password`: (UTF-8 text; wire `password`).
 * - `encrypt_password`: False (the default) is required for LDAP and Active Directory accounts. (0
 *   false, anything else true; the room's default is false; wire `encryptPassword`).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_login(const struct tc_client *client,
                          const char *login,
                          const char *password,
                          int encrypt_password,
                          uint32_t timeout_ms);

/**
 * Logs the room out of its server.
 *
 * Sends `logout` [seen]; who: admin. The reply: accepted (the outcome, if any, arrives as
 * notifications).
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 */
tc_status tc_client_logout(const struct tc_client *client, uint32_t timeout_ms);

/**
 * Whether the room is logged in, and as whom.
 *
 * Sends `getLogin` [seen]. The reply: `getLogin`: whether the room is logged in to its server, and
 * as whom.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_login(const struct tc_client *client, uint32_t timeout_ms, char **out_json);

/**
 * The link between the room and its server: 0 not connected, 1 connecting,
 * 2 connected, and the server.
 *
 * Sends `getConnected` [doc]. The reply: `getConnected`: the link between the room and its server.
 * - `timeout_ms`: `TC_TIMEOUT_DEFAULT` (0) for the client's request time-out.
 * - `out_json`: receives the room's reply as JSON text; free it with `tc_string_free`.
 */
tc_status tc_client_get_connected(const struct tc_client *client,
                                  uint32_t timeout_ms,
                                  char **out_json);

/**
 * Sends `method` with `params_json` (a JSON object of the parameters, or NULL for none) and
 * blocks for the reply, up to `timeout_ms` (0: the request time-out). `*out_reply_json`
 * gets the room's whole reply on `TC_STATUS_OK`, and also on `TC_STATUS_REFUSED`
 * (`result:false`, whose `error` the message repeats); it is untouched on any other status.
 * Free it with `tc_string_free`.
 */
tc_status tc_client_request_json(const struct tc_client *client,
                                 const char *method,
                                 const char *params_json,
                                 uint32_t timeout_ms,
                                 char **out_reply_json);

/**
 * Like `tc_client_request_json`, without blocking: `callback` (required) gets the outcome
 * on the dispatcher thread, exactly once, at the latest during `tc_client_free` (then with
 * `TC_STATUS_CLOSED`). When this returns an error (a bad argument, or
 * `TC_STATUS_DISCONNECTED` when not connected) the callback is not called.
 */
tc_status tc_client_request_json_async(const struct tc_client *client,
                                       const char *method,
                                       const char *params_json,
                                       uint32_t timeout_ms,
                                       tc_json_callback callback,
                                       void *user_data);

/**
 * Makes options with the defaults: host 127.0.0.1, web port 80 with discovery, instance
 * "default", unsecured, any role, 10 s reply time-out, 1024 queued events (64 MiB at most),
 * `stateChanged` events on.
 */
tc_status tc_client_options_new(struct tc_client_options **out_options);

/**
 * Frees options. NULL is ignored.
 */
void tc_client_options_free(struct tc_client_options *options);

/**
 * The room's host name or address (IPv6 without brackets is fine).
 */
tc_status tc_client_options_set_host(struct tc_client_options *options, const char *host);

/**
 * The web manager's port, used to discover the WebSocket port (`config.json`).
 */
tc_status tc_client_options_set_web_port(struct tc_client_options *options, uint16_t port);

/**
 * The control WebSocket port: when set (non-zero), discovery is skipped. 0 restores
 * discovery through the web port.
 */
tc_status tc_client_options_set_ws_port(struct tc_client_options *options, uint16_t port);

/**
 * The discovery path segment (`/public/<instance>/config.json`); "default" unless the host
 * runs several rooms.
 */
tc_status tc_client_options_set_instance(struct tc_client_options *options, const char *instance);

/**
 * Authorize with a secret: the room's PIN, a password, or a token from an earlier `auth`.
 * The library never logs it.
 */
tc_status tc_client_options_set_pin(struct tc_client_options *options, const char *pin);

/**
 * Authorize without a secret (`type: unsecured`), the default.
 */
tc_status tc_client_options_set_unsecured(struct tc_client_options *options);

/**
 * The control role to take: a `tc_role` value.
 */
tc_status tc_client_options_set_role(struct tc_client_options *options, int32_t role);

/**
 * The reply time-out used when a call passes `TC_TIMEOUT_DEFAULT` (must be > 0).
 */
tc_status tc_client_options_set_request_timeout(struct tc_client_options *options,
                                                uint32_t timeout_ms);

/**
 * Ask for API version "1" or "2" (`setUsedApiVersion`) before `auth`; NULL: do not ask.
 */
tc_status tc_client_options_set_api_version(struct tc_client_options *options, const char *version);

/**
 * How many events may wait in the client's queue (1 to 16777216; default 1024; memory is
 * taken as events arrive). Beyond it the oldest are dropped, and one `eventsLost` event (field
 * `count`) stands where they were; the room state (`tc_client_state_json`) is current anyway.
 */
tc_status tc_client_options_set_event_capacity(struct tc_client_options *options, size_t capacity);

/**
 * How many bytes (as the events took on the wire) may wait in the client's queue, whatever
 * their number (at least 1; default 64 MiB). Beyond it the oldest are dropped as above.
 */
tc_status tc_client_options_set_event_max_bytes(struct tc_client_options *options,
                                                size_t max_bytes);

/**
 * Queue a `stateChanged` event (`TC_EVENT_KIND_STATE_CHANGED`; fields `changed`, a list of
 * the parts that changed, and `full`) after every change of the room state, so that a host
 * following the state by poll or callback knows when to read `tc_client_state_json`
 * (`enable` non-zero; on by default).
 */
tc_status tc_client_options_set_state_events(struct tc_client_options *options, int enable);

/**
 * Follow a `config.json` that names another host for the WebSocket, or a discovery redirect to
 * another host (`enable` non-zero). Off by default: the PIN never goes to another host
 * silently.
 */
tc_status tc_client_options_set_follow_other_host(struct tc_client_options *options, int enable);

/**
 * Reconnect automatically when the link drops (`enable` non-zero; off by default). The
 * client then re-authorizes (with the token from `auth`, else the PIN), refreshes its state and
 * queues a `reconnected` event; the drop itself shows as a `connectionLost` event, and calls
 * made meanwhile fail with `TC_STATUS_DISCONNECTED` (never replayed). After `max_attempts`
 * failures (0: never give up) the final `disconnected` event comes. The wait before an attempt
 * starts at `initial_delay_ms` and doubles up to `max_delay_ms` (0 for either: 200 ms, 5 s).
 */
tc_status tc_client_options_set_reconnect(struct tc_client_options *options,
                                          int enable,
                                          uint32_t max_attempts,
                                          uint32_t initial_delay_ms,
                                          uint32_t max_delay_ms);

/**
 * Keep-alive, checked every `interval_ms`: a room silent for half of it or more is pinged, and
 * the link is given up when the ping is still unanswered at the next check (the link is lost:
 * `disconnected`, or `connectionLost` and a reconnect). 0 turns it off; the default is 5000
 * (a frozen room or a dead link is noticed 10 to 12.5 s after its last frame).
 */
tc_status tc_client_options_set_keepalive(struct tc_client_options *options, uint32_t interval_ms);

/**
 * TLS to the room, for a room published behind a TLS proxy: `wss://` for the control
 * connection, `https://` for discovery and frames (`enable` non-zero). Certificates are checked
 * against the system's roots, or only against the PEM file `ca_file` when not NULL.
 * `danger_accept_invalid_certs` non-zero accepts any certificate: only for a lab, since anyone
 * in between could then read the PIN.
 */
tc_status tc_client_options_set_tls(struct tc_client_options *options,
                                    int enable,
                                    const char *ca_file,
                                    int danger_accept_invalid_certs);

/**
 * The participant's InstanceId (`peerId`). NULL only when `participant` is NULL.
 */
const char *tc_participant_peer_id(const struct tc_participant *participant);

/**
 * The display name (`peerDn`), or NULL.
 */
const char *tc_participant_display_name(const struct tc_participant *participant);

/**
 * 1 while the participant waits in the waiting room, else 0.
 */
int tc_participant_in_waiting_room(const struct tc_participant *participant);

/**
 * `role`: 1 ordinary, 2 owner, 3 asked to speak, 4 invited to podium, 5 remark; -1 unknown.
 */
int64_t tc_participant_role(const struct tc_participant *participant);

/**
 * The participant's whole JSON object.
 */
const char *tc_participant_json(const struct tc_participant *participant);

/**
 * How many participants the list holds (0 for NULL).
 */
size_t tc_participant_list_len(const struct tc_participant_list *list);

/**
 * The participant at `index`, lent for as long as the list lives; NULL when out of range.
 */
const struct tc_participant *tc_participant_list_get(const struct tc_participant_list *list,
                                                     size_t index);

/**
 * The conference the list belongs to (`confId`), or NULL.
 */
const char *tc_participant_list_conf_id(const struct tc_participant_list *list);

/**
 * Frees a list and every participant it lent. NULL is ignored.
 */
void tc_participant_list_free(struct tc_participant_list *list);

/**
 * Copies one still of video slot `slot_id` (`#self:0` is the room's camera; other ids come
 * from `tc_client_get_video_matrix`) from the room's embedded HTTP server into `buf`, `len`
 * bytes: the bytes of a JPEG. `*out_len` (required) gets the frame's size. With `buf` NULL or
 * `len` too small the call returns `TC_STATUS_BUFFER_TOO_SMALL` and keeps the frame: the next
 * call for the same slot within 5 seconds, on the same connection, gets that same frame
 * without fetching again (so a size query and then a copy cost one fetch, and report the same
 * size). A frame is kept for one slot at a time; a call for another slot, a later one, or
 * `tc_client_close` forgets it. The token for the HTTP server is fetched and refreshed by the
 * library. Blocks up to `timeout_ms` (`TC_TIMEOUT_DEFAULT`: the request time-out).
 */
tc_status tc_client_get_frame(const struct tc_client *client,
                              const char *slot_id,
                              uint32_t timeout_ms,
                              uint8_t *buf,
                              size_t len,
                              size_t *out_len);

/**
 * Answers incoming calls and invitations (`inviteReceived`) from now on, by `mode` (a
 * `tc_auto_answer` value): `accept` for every call (`TC_AUTO_ANSWER_ALL`), none
 * (`TC_AUTO_ANSWER_NOBODY`: `reject` them all), or the `count` peers in `peers` (PeerIds or
 * CallIds; a bare name matches any server) with the rest rejected (`TC_AUTO_ANSWER_LIST`).
 * `TC_AUTO_ANSWER_OFF` stops. What it does shows as the usual events (`conferenceCreated`,
 * `rejectSent`). Replaces any earlier setting. The setting belongs to the client: it answers
 * on the current connection (across automatic reconnects) and again after every later
 * `tc_client_connect`, until changed; made while disconnected, it starts with the next
 * connection.
 */
tc_status tc_client_auto_answer(const struct tc_client *client,
                                int32_t mode,
                                const char *const *peers,
                                size_t count);

/**
 * Stops the library's internal runtime and joins its threads, so that a host (or a leak
 * checker) sees no library thread left. Call it last, after every client has been freed.
 * Returns `TC_STATUS_BUSY` while any client exists. Optional: a process may just exit.
 * The next `tc_client_new` starts a fresh runtime.
 */
tc_status tc_shutdown(void);

/**
 * A static, NUL-terminated English description of `status` (a `tc_status` value). Never NULL:
 * unknown values give "unknown status". Do not free.
 */
const char *tc_status_str(int32_t status);

/**
 * Frees a string the library returned through a `char**` out-parameter. NULL is ignored.
 * Never pass it to `free()`, and never pass this function a string the library lent
 * (`const char*` results).
 */
void tc_string_free(char *s);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* TCROOM_H */
