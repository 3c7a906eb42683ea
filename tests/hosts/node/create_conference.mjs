// A Node.js host of libtcroom through koffi (a C FFI from npm, no compiler needed): connects to
// a room, creates a conference that invites the given people, waits until each has joined, then
// ends it. It uses the poll API only, so every call stays on the JavaScript thread.
//
//   npm install
//   node create_conference.mjs LIBTCROOM_SO HOST WEB_PORT PIN INVITEE...   (PIN "-": unsecured)
//
// Prints "conference ID started: URL", one "PEER joined" line per invitee, then
// "N of N invitees joined"; exits 0 only when all joined.
import koffi from 'koffi';

const [libPath, host, webPort, pin, ...invitees] = process.argv.slice(2);
if (!libPath || !host || !webPort || !pin || invitees.length === 0) {
    console.error('usage: node create_conference.mjs LIBTCROOM_SO HOST WEB_PORT PIN INVITEE...');
    process.exit(64);
}

const lib = koffi.load(libPath);

// The types of include/tcroom.h that this program needs.
koffi.alias('tc_status', 'int32_t');
koffi.opaque('tc_client_options');
koffi.opaque('tc_client');
koffi.opaque('tc_conference');
koffi.opaque('tc_event');
koffi.struct('tc_conference_params', {
    struct_size: 'size_t',
    title: 'const char *',
    conf_type: 'int32_t',
    auto_accept: 'int',
    invite_list: 'const char **',
    invite_count: 'size_t',
    casters_count: 'uint32_t',
    use_waiting_room: 'int',
    mute_cam_on_join: 'int',
    mute_mic_on_join: 'int',
    smart_meeting: 'int',
});
const TC_STATUS_OK = 0;
const TC_STATUS_TIMEOUT = 6;
const TC_CONF_SYMMETRIC = 1;

const tc = {
    version: lib.func('const char *tc_version(void)'),
    status_str: lib.func('const char *tc_status_str(int32_t status)'),
    last_error: lib.func('tc_status tc_last_error(_Out_ char *buf, size_t len, _Out_ size_t *needed)'),
    options_new: lib.func('tc_status tc_client_options_new(_Out_ tc_client_options **out)'),
    options_set_host: lib.func('tc_status tc_client_options_set_host(tc_client_options *o, const char *host)'),
    options_set_web_port: lib.func('tc_status tc_client_options_set_web_port(tc_client_options *o, uint16_t port)'),
    options_set_pin: lib.func('tc_status tc_client_options_set_pin(tc_client_options *o, const char *pin)'),
    options_free: lib.func('void tc_client_options_free(tc_client_options *o)'),
    client_new: lib.func('tc_status tc_client_new(const tc_client_options *o, _Out_ tc_client **out)'),
    client_connect: lib.func('tc_status tc_client_connect(const tc_client *c, uint32_t timeout_ms)'),
    client_free: lib.func('tc_status tc_client_free(tc_client *c)'),
    hang_up: lib.func('tc_status tc_client_hang_up(const tc_client *c, int for_all, uint32_t timeout_ms)'),
    params_init: lib.func('tc_status tc_conference_params_init(_Inout_ tc_conference_params *p, size_t size)'),
    create_wait: lib.func('tc_status tc_create_conference_wait(const tc_client *c, const tc_conference_params *p, uint32_t timeout_ms, _Out_ tc_conference **out)'),
    conference_id: lib.func('const char *tc_conference_id(const tc_conference *conf)'),
    conference_join_url: lib.func('const char *tc_conference_join_url(const tc_conference *conf)'),
    conference_free: lib.func('void tc_conference_free(tc_conference *conf)'),
    next_event: lib.func('tc_status tc_client_next_event(const tc_client *c, uint32_t timeout_ms, _Out_ tc_event **out)'),
    event_name: lib.func('const char *tc_event_name(const tc_event *ev)'),
    event_peer_id: lib.func('const char *tc_event_peer_id(const tc_event *ev)'),
    event_free: lib.func('void tc_event_free(tc_event *ev)'),
    shutdown: lib.func('tc_status tc_shutdown(void)'),
};

function check(what, status) {
    if (status !== TC_STATUS_OK) {
        const message = ['\0'.repeat(512)];
        tc.last_error(message, 512, [0]);
        throw new Error(`${what} failed: ${tc.status_str(status)}: ${message[0].replace(/\0.*$/s, '')}`);
    }
}

console.log(`libtcroom ${tc.version()}`);
const out = [null];
check('tc_client_options_new', tc.options_new(out));
const options = out[0];
tc.options_set_host(options, host);
tc.options_set_web_port(options, Number(webPort));
if (pin !== '-') tc.options_set_pin(options, pin);
const status = tc.client_new(options, out);
tc.options_free(options);
check('tc_client_new', status);
const client = out[0];

let joined = 0;
try {
    check('tc_client_connect', tc.client_connect(client, 10000));

    const params = {};
    params.struct_size = koffi.sizeof('tc_conference_params');
    check('tc_conference_params_init', tc.params_init(params, koffi.sizeof('tc_conference_params')));
    params.title = 'Created from Node.js';
    params.conf_type = TC_CONF_SYMMETRIC;
    params.invite_list = invitees;
    params.invite_count = invitees.length;
    check('tc_create_conference_wait', tc.create_wait(client, params, 10000, out));
    const conf = out[0];
    console.log(`conference ${tc.conference_id(conf)} started: ${tc.conference_join_url(conf)}`);
    tc.conference_free(conf);

    const waiting = new Set(invitees);
    for (let waitedMs = 0; waiting.size > 0 && waitedMs < 15000;) {
        const s = tc.next_event(client, 500, out);
        if (s === TC_STATUS_TIMEOUT) {
            waitedMs += 500;
            continue;
        }
        check('tc_client_next_event', s);
        const ev = out[0];
        if (tc.event_name(ev) === 'newParticipantInConference') {
            const peer = tc.event_peer_id(ev);
            const who = peer.split('/')[0];
            if (waiting.delete(who)) {
                joined++;
                console.log(`${peer} joined`);
            }
        }
        tc.event_free(ev);
    }
    console.log(`${joined} of ${invitees.length} invitees joined`);
    check('tc_client_hang_up', tc.hang_up(client, 1, 0));
} finally {
    tc.client_free(client);
    tc.shutdown();
}
process.exit(joined === invitees.length ? 0 : 1);
