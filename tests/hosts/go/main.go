// A Go host of libtcroom through cgo: connects to a room, creates a conference that invites
// the given people, waits until each has joined, then ends it. Only the C ABI is used, found
// through pkg-config, as a Go user of the release tarball would:
//
//	PKG_CONFIG_PATH=PREFIX/lib/pkgconfig go build -o create_conference .
//	./create_conference HOST WEB_PORT PIN INVITEE...      (PIN "-" for an unsecured room)
//
// Prints "conference ID started: URL", one "PEER joined" line per invitee, then
// "N of N invitees joined"; exits 0 only when all joined.
package main

/*
#cgo pkg-config: tcroom
#include <stdlib.h>
#include "tcroom.h"
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

// failure describes a failed call with libtcroom's own words (tc_status_str, tc_last_error).
func failure(what string, status C.tc_status) error {
	buf := make([]byte, 512)
	C.tc_last_error((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), nil)
	return fmt.Errorf("%s failed: %s: %s", what, C.GoString(C.tc_status_str(C.int32_t(status))),
		C.GoString((*C.char)(unsafe.Pointer(&buf[0]))))
}

func run(host string, webPort uint16, pin string, invitees []string) error {
	fmt.Printf("libtcroom %s (header %d.%d.%d)\n", C.GoString(C.tc_version()),
		C.TC_VERSION_MAJOR, C.TC_VERSION_MINOR, C.TC_VERSION_PATCH)

	var options *C.tc_client_options
	if s := C.tc_client_options_new(&options); s != C.TC_STATUS_OK {
		return failure("tc_client_options_new", s)
	}
	cHost := C.CString(host)
	defer C.free(unsafe.Pointer(cHost))
	C.tc_client_options_set_host(options, cHost)
	C.tc_client_options_set_web_port(options, C.uint16_t(webPort))
	if pin != "-" {
		cPin := C.CString(pin)
		defer C.free(unsafe.Pointer(cPin))
		C.tc_client_options_set_pin(options, cPin)
	}
	var client *C.tc_client
	s := C.tc_client_new(options, &client)
	C.tc_client_options_free(options)
	if s != C.TC_STATUS_OK {
		return failure("tc_client_new", s)
	}
	defer C.tc_shutdown()
	defer C.tc_client_free(client)

	if s := C.tc_client_connect(client, 10000); s != C.TC_STATUS_OK {
		return failure("tc_client_connect", s)
	}

	// The invitees as a C array of C strings, owned here until the call returns.
	list := (*[1 << 20]*C.char)(C.malloc(C.size_t(len(invitees)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))[:len(invitees):len(invitees)]
	for i, peer := range invitees {
		list[i] = C.CString(peer)
	}
	defer func() {
		for _, p := range list {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(&list[0]))
	}()
	title := C.CString("Created from Go")
	defer C.free(unsafe.Pointer(title))

	var params C.tc_conference_params
	C.tc_conference_params_init(&params, C.size_t(unsafe.Sizeof(params)))
	params.title = title
	params.conf_type = C.TC_CONF_SYMMETRIC
	params.invite_list = &list[0]
	params.invite_count = C.size_t(len(invitees))

	var conf *C.tc_conference
	if s := C.tc_create_conference_wait(client, &params, 10000, &conf); s != C.TC_STATUS_OK {
		return failure("tc_create_conference_wait", s)
	}
	fmt.Printf("conference %s started: %s\n", C.GoString(C.tc_conference_id(conf)),
		C.GoString(C.tc_conference_join_url(conf)))
	C.tc_conference_free(conf)

	waiting := map[string]bool{}
	for _, peer := range invitees {
		waiting[peer] = true
	}
	joined := 0
	for waitedMs := 0; len(waiting) > 0 && waitedMs < 15000; {
		var ev *C.tc_event
		s := C.tc_client_next_event(client, 500, &ev)
		if s == C.TC_STATUS_TIMEOUT {
			waitedMs += 500
			continue
		}
		if s != C.TC_STATUS_OK {
			return failure("tc_client_next_event", s)
		}
		if C.tc_event_get_kind(ev) == C.TC_EVENT_KIND_NEW_PARTICIPANT {
			peer := C.GoString(C.tc_event_peer_id(ev))
			who := strings.SplitN(peer, "/", 2)[0]
			if waiting[who] {
				delete(waiting, who)
				joined++
				fmt.Printf("%s joined\n", peer)
			}
		}
		C.tc_event_free(ev)
	}
	fmt.Printf("%d of %d invitees joined\n", joined, len(invitees))
	if s := C.tc_client_hang_up(client, 1, C.TC_TIMEOUT_DEFAULT); s != C.TC_STATUS_OK {
		return failure("tc_client_hang_up", s)
	}
	if joined != len(invitees) {
		return fmt.Errorf("not everyone joined")
	}
	return nil
}

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintf(os.Stderr, "usage: %s HOST WEB_PORT PIN INVITEE...\n", os.Args[0])
		os.Exit(64)
	}
	port, err := strconv.ParseUint(os.Args[2], 10, 16)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bad port %q\n", os.Args[2])
		os.Exit(64)
	}
	if err := run(os.Args[1], uint16(port), os.Args[3], os.Args[4:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
