// Threads and re-entrancy, from C++17: blocking calls inside callbacks, tc_client_free refused
// inside the client's own callback, replacing the callback from inside it, free_user_data
// exactly once, pending async calls completed with CLOSED during tc_client_free, no callback
// after free, concurrent callers, and tc_client_free refused inside another client's callback.
#include "common.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::string> seen;

    void add(const std::string &s) {
        std::lock_guard<std::mutex> g(mu);
        seen.push_back(s);
        cv.notify_all();
    }

    void wait_for(const std::string &s, int ms = T_LONG_MS) {
        std::unique_lock<std::mutex> g(mu);
        bool ok = cv.wait_for(g, std::chrono::milliseconds(ms), [&] {
            for (auto &x : seen)
                if (x == s) return true;
            return false;
        });
        if (!ok) T_FAIL("'%s' not seen within %d ms", s.c_str(), ms);
    }
};

struct Reentrant {
    tc_client *client = nullptr;
    Waiter w;
    std::atomic<int> calls{0};
    std::atomic<int> frees{0};
    std::atomic<int> free_status{-1};
    std::atomic<int> nested_ok{0};
    std::atomic<bool> client_gone{false};
    std::atomic<int> calls_after_free{0};
};

Reentrant *g_second_owner = nullptr;

void on_second(void *user_data, const tc_event *ev) {
    auto *r = static_cast<Reentrant *>(user_data);
    if (r->client_gone) r->calls_after_free++;
    r->w.add(std::string("second:") + tc_event_name(ev));
}

void free_reentrant(void *user_data) {
    static_cast<Reentrant *>(user_data)->frees++;
}

void on_event(void *user_data, const tc_event *ev) {
    auto *r = static_cast<Reentrant *>(user_data);
    if (r->client_gone) r->calls_after_free++;
    r->calls++;
    std::string name = tc_event_name(ev);
    if (name == "conferenceCreated") {
        // Blocking calls from the dispatcher thread work.
        char *link = nullptr;
        tc_participant_list *list = nullptr;
        char *reply = nullptr;
        if (tc_client_get_session_link(r->client, 0, &link) == TC_STATUS_OK && link != nullptr &&
            tc_client_get_conference_participants(r->client, 0, &list) == TC_STATUS_OK &&
            tc_client_request_json(r->client, "getAppState", nullptr, 0, &reply) == TC_STATUS_OK &&
            std::string(reply).find("\"appState\":5") != std::string::npos)
            r->nested_ok++;
        tc_string_free(link);
        tc_string_free(reply);
        tc_participant_list_free(list);
        // Freeing the client from its own callback is refused, not a deadlock.
        r->free_status = tc_client_free(r->client);
        // Replacing the callback from inside it: this registration's free_user_data runs once
        // this call has returned.
        tc_client_set_event_callback(r->client, on_second, g_second_owner, free_reentrant);
    }
    r->w.add(name);
}

void test_reentrancy() {
    Reentrant first, second;
    g_second_owner = &second;
    tc_client *c = t_connect();
    first.client = c;
    second.client = c;
    CHECK_OK(tc_client_set_event_callback(c, on_event, &first, free_reentrant));

    tc_conference_params p;
    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Re-entrant";
    p.conf_type = TC_CONF_ASYMMETRIC;
    tc_conference *conf = nullptr;
    CHECK_OK(tc_create_conference_wait(c, &p, T_LONG_MS, &conf));
    first.w.wait_for("conferenceCreated");
    CHECK(first.nested_ok == 1);
    CHECK(first.free_status == TC_STATUS_IN_CALLBACK);
    // The first registration was released exactly once, after its callback returned.
    for (int i = 0; i < 1000 && first.frees == 0; i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(first.frees == 1);
    // Later events reach the new callback.
    CHECK_OK(tc_client_hang_up(c, 1, 0));
    second.w.wait_for("second:conferenceDeleted");
    CHECK(second.frees == 0);

    tc_conference_free(conf);
    CHECK_OK(tc_client_free(c));
    first.client_gone = true;
    second.client_gone = true;
    CHECK(first.frees == 1);
    CHECK(second.frees == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(first.calls_after_free == 0 && second.calls_after_free == 0);
}

void test_concurrent_callers() {
    tc_client *c = t_connect();
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; i++) {
                int32_t state = -1;
                char *json = nullptr;
                if (tc_client_get_app_state(c, 0, &state) == TC_STATUS_OK && state == 3) ok++;
                if (tc_client_request_json(c, "getSystemInfo", "{}", 0, &json) == TC_STATUS_OK) ok++;
                tc_string_free(json);
            }
        });
    }
    for (auto &t : threads) t.join();
    CHECK(ok == 80);
    CHECK_OK(tc_client_free(c));
}

struct Pending {
    std::atomic<int> json_calls{0};
    std::atomic<int> json_closed{0};
    std::atomic<int> conf_final{0};
    std::atomic<int> conf_closed{0};
    std::atomic<int> json_last{-1};
    std::mutex mu;
    std::string odd; // what the callbacks that were not a clean CLOSED saw
    std::atomic<int> conf_last{-1};
};

void on_pending_json(void *user_data, tc_status status, const char *reply, const char *message) {
    auto *p = static_cast<Pending *>(user_data);
    p->json_calls++;
    p->json_last = status;
    if (status == TC_STATUS_CLOSED && reply == nullptr && message != nullptr) {
        p->json_closed++;
    } else {
        std::lock_guard<std::mutex> g(p->mu);
        p->odd += "[status " + std::to_string(status) + ", reply " + (reply ? reply : "(null)") + ", message " +
                  (message ? message : "(null)") + "]";
    }
}

void on_pending_conf(void *user_data, tc_conference_stage stage, tc_status status, const tc_conference *,
                     const char *, const char *) {
    auto *p = static_cast<Pending *>(user_data);
    if (stage != TC_CONFERENCE_STAGE_ACCEPTED) p->conf_final++;
    p->conf_last = status;
    if (stage == TC_CONFERENCE_STAGE_FAILED && status == TC_STATUS_CLOSED) p->conf_closed++;
}

void test_free_with_pending_calls() {
    // A room of our own, frozen so that nothing is ever answered.
    t_emulator emu = t_emulator_start(nullptr);
    tc_client_options *o = nullptr;
    CHECK_OK(tc_client_options_new(&o));
    CHECK_OK(tc_client_options_set_ws_port(o, emu.ws_port));
    tc_client *c = nullptr;
    CHECK_OK(tc_client_new(o, &c));
    tc_client_options_free(o);
    CHECK_OK(tc_client_connect(c, T_LONG_MS));
    t_emulator_kill(&emu, SIGSTOP);

    Pending p;
    for (int i = 0; i < 5; i++)
        CHECK_OK(tc_client_request_json_async(c, "getAppState", nullptr, 60000, on_pending_json, &p));
    tc_conference_params params;
    CHECK_OK(tc_conference_params_init(&params, sizeof params));
    params.title = "Never";
    CHECK_OK(tc_create_conference(c, &params, 60000, on_pending_conf, &p));
    CHECK(p.json_calls == 0);

    // Every pending call gets its final callback, with CLOSED, before free returns.
    CHECK_OK(tc_client_free(c));
    if (p.json_calls != 5 || p.json_closed != 5 || p.conf_final != 1 || p.conf_closed != 1)
        T_FAIL("after free: %d json callbacks (%d CLOSED, others: %s), %d final conference callbacks "
               "(%d CLOSED, last status %d)",
               p.json_calls.load(), p.json_closed.load(), p.odd.c_str(), p.conf_final.load(),
               p.conf_closed.load(), p.conf_last.load());
    t_emulator_kill(&emu, SIGKILL);
}

struct Pair {
    tc_client *victim = nullptr;
    std::atomic<int> free_status{-1};
    Waiter w;
};

void on_killer(void *user_data, const tc_event *ev) {
    auto *pair = static_cast<Pair *>(user_data);
    if (std::string(tc_event_name(ev)) == "conferenceCreated" && pair->victim != nullptr) {
        // Another client may not be freed from this client's callback either (two clients
        // freeing each other there would wait for each other for ever): refused, no effect.
        pair->free_status = tc_client_free(pair->victim);
        pair->victim = nullptr;
        pair->w.add("freed");
    }
}

void test_free_other_client_from_callback() {
    Pair pair;
    tc_client *killer = t_connect();
    tc_client *victim = t_connect();
    pair.victim = victim;
    CHECK_OK(tc_client_set_event_callback(killer, on_killer, &pair, nullptr));
    tc_conference_params p;
    CHECK_OK(tc_conference_params_init(&p, sizeof p));
    p.title = "Killer";
    tc_conference *conf = nullptr;
    CHECK_OK(tc_create_conference_wait(killer, &p, T_LONG_MS, &conf));
    pair.w.wait_for("freed");
    CHECK(pair.free_status == TC_STATUS_IN_CALLBACK);
    CHECK(tc_client_is_connected(victim) == 1);
    CHECK_OK(tc_client_free(victim));
    tc_conference_free(conf);
    CHECK_OK(tc_client_free(killer));
}

}  // namespace

int main() {
    test_reentrancy();
    test_concurrent_callers();
    test_free_with_pending_calls();
    test_free_other_client_from_callback();
    CHECK_OK(tc_shutdown());
    std::printf("test_threads: ok\n");
    return 0;
}
