package tcroom.host;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Java host of libtcroom through JNA: connects to a room, creates a conference that invites
 * the given people, waits until each has joined, then ends it. It uses the poll API only.
 *
 * <p>Arguments: LIBTCROOM_SO HOST WEB_PORT PIN INVITEE... (PIN "-" for an unsecured room).
 * Prints "conference ID started: URL", one "PEER joined" line per invitee, then "N of N
 * invitees joined"; exits 0 only when all joined.
 */
public final class CreateConference {
    static final int TC_STATUS_OK = 0;
    static final int TC_STATUS_TIMEOUT = 6;
    static final int TC_CONF_SYMMETRIC = 1;

    /** C's size_t. */
    public static final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** tc_conference_params, field for field as in tcroom.h. */
    @Structure.FieldOrder({"struct_size", "title", "conf_type", "auto_accept", "invite_list", "invite_count",
            "casters_count", "use_waiting_room", "mute_cam_on_join", "mute_mic_on_join", "smart_meeting"})
    public static final class ConferenceParams extends Structure {
        public SizeT struct_size;
        public String title;
        public int conf_type;
        public int auto_accept;
        public Pointer invite_list;
        public SizeT invite_count;
        public int casters_count;
        public int use_waiting_room;
        public int mute_cam_on_join;
        public int mute_mic_on_join;
        public int smart_meeting;
    }

    /** The functions of tcroom.h that this program calls (handles are opaque pointers). */
    public interface TcRoom extends Library {
        String tc_version();

        String tc_status_str(int status);

        int tc_last_error(byte[] buf, SizeT len, Pointer outLen);

        int tc_client_options_new(PointerByReference out);

        int tc_client_options_set_host(Pointer options, String host);

        int tc_client_options_set_web_port(Pointer options, short port);

        int tc_client_options_set_pin(Pointer options, String pin);

        void tc_client_options_free(Pointer options);

        int tc_client_new(Pointer options, PointerByReference out);

        int tc_client_connect(Pointer client, int timeoutMs);

        int tc_client_hang_up(Pointer client, int forAll, int timeoutMs);

        int tc_client_free(Pointer client);

        int tc_conference_params_init(ConferenceParams params, SizeT structSize);

        int tc_create_conference_wait(Pointer client, ConferenceParams params, int timeoutMs, PointerByReference out);

        String tc_conference_id(Pointer conference);

        String tc_conference_join_url(Pointer conference);

        void tc_conference_free(Pointer conference);

        int tc_client_next_event(Pointer client, int timeoutMs, PointerByReference out);

        String tc_event_name(Pointer event);

        String tc_event_peer_id(Pointer event);

        void tc_event_free(Pointer event);

        int tc_shutdown();
    }

    private static TcRoom tc;

    private static void check(String what, int status) {
        if (status != TC_STATUS_OK) {
            byte[] buf = new byte[512];
            tc.tc_last_error(buf, new SizeT(buf.length), null);
            int len = 0;
            while (len < buf.length && buf[len] != 0) {
                len++;
            }
            throw new IllegalStateException(what + " failed: " + tc.tc_status_str(status) + ": "
                    + new String(buf, 0, len, StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: CreateConference LIBTCROOM_SO HOST WEB_PORT PIN INVITEE...");
            System.exit(64);
        }
        tc = Native.load(args[0], TcRoom.class);
        List<String> invitees = Arrays.asList(args).subList(4, args.length);
        System.out.println("libtcroom " + tc.tc_version());

        PointerByReference out = new PointerByReference();
        check("tc_client_options_new", tc.tc_client_options_new(out));
        Pointer options = out.getValue();
        tc.tc_client_options_set_host(options, args[1]);
        tc.tc_client_options_set_web_port(options, (short) Integer.parseInt(args[2]));
        if (!args[3].equals("-")) {
            tc.tc_client_options_set_pin(options, args[3]);
        }
        int status = tc.tc_client_new(options, out);
        tc.tc_client_options_free(options);
        check("tc_client_new", status);
        Pointer client = out.getValue();

        int joined = 0;
        try {
            check("tc_client_connect", tc.tc_client_connect(client, 10000));

            ConferenceParams params = new ConferenceParams();
            check("tc_conference_params_init", tc.tc_conference_params_init(params, new SizeT(params.size())));
            StringArray list = new StringArray(invitees.toArray(new String[0]));
            params.title = "Created from Java";
            params.conf_type = TC_CONF_SYMMETRIC;
            params.invite_list = list;
            params.invite_count = new SizeT(invitees.size());
            check("tc_create_conference_wait", tc.tc_create_conference_wait(client, params, 10000, out));
            Pointer conf = out.getValue();
            System.out.println("conference " + tc.tc_conference_id(conf) + " started: " + tc.tc_conference_join_url(conf));
            tc.tc_conference_free(conf);

            Set<String> waiting = new HashSet<>(invitees);
            for (int waitedMs = 0; !waiting.isEmpty() && waitedMs < 15000;) {
                int s = tc.tc_client_next_event(client, 500, out);
                if (s == TC_STATUS_TIMEOUT) {
                    waitedMs += 500;
                    continue;
                }
                check("tc_client_next_event", s);
                Pointer ev = out.getValue();
                if ("newParticipantInConference".equals(tc.tc_event_name(ev))) {
                    String peer = tc.tc_event_peer_id(ev);
                    if (waiting.remove(peer.split("/", 2)[0])) {
                        joined++;
                        System.out.println(peer + " joined");
                    }
                }
                tc.tc_event_free(ev);
            }
            System.out.println(joined + " of " + invitees.size() + " invitees joined");
            check("tc_client_hang_up", tc.tc_client_hang_up(client, 1, 0));
        } finally {
            tc.tc_client_free(client);
            tc.tc_shutdown();
        }
        System.exit(joined == invitees.size() ? 0 : 1);
    }
}
