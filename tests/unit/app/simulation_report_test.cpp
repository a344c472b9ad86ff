#include "app/simulation_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace crossvoice::app {
namespace {

using nlohmann::json;

TEST(SimulationReport, FollowsTheCallAsAPersonWould) {
    const auto reply = json::parse(R"({
        "success": true, "callSid": "v3:abc", "from": "+12025550199", "to": "+12025550100", "platform": "tetrix",
        "outcome": "transferred", "connectedTo": "+12025550120", "durationSecs": 24, "unusedActions": 0,
        "steps": [
            {"kind": "fetch", "method": "POST", "url": "http://svc/api/voice/texml", "reason": "start", "status": 200},
            {"kind": "say", "text": "Thanks for calling TETRIX."},
            {"kind": "gather", "input": "dtmf speech"},
            {"kind": "say", "text": "For sales, press 1 or say sales."},
            {"kind": "press", "digits": "1"},
            {"kind": "fetch", "method": "POST", "url": "http://svc/api/voice/texml?step=1", "reason": "gather",
             "status": 200},
            {"kind": "say", "text": "Connecting you to sales."},
            {"kind": "dial", "targets": [{"target": "+12025550120", "result": "answered"}], "result": "completed",
             "connectedTo": "+12025550120", "durationSecs": 20},
            {"kind": "hangup", "by": "end_of_document"}
        ]})");
    EXPECT_EQ(format_simulation(reply),
              "Calling +12025550100 (tetrix) from +12025550199\n"
              "  heard    \"Thanks for calling TETRIX.\"\n"
              "  heard    \"For sales, press 1 or say sales.\"\n"
              "  pressed  1\n"
              "  heard    \"Connecting you to sales.\"\n"
              "  dialed   +12025550120 -> answered\n"
              "Ended: transferred to +12025550120 after 24 s\n");
}

TEST(SimulationReport, ShowsSpeechSilenceRecordingsAndTheCallerGivingUp) {
    const auto reply = json::parse(R"({
        "from": "+12025550199", "to": "+12025550101", "outcome": "caller_hung_up", "durationSecs": 31,
        "unusedActions": 2,
        "steps": [
            {"kind": "say", "text": "Main menu.", "loop": 2},
            {"kind": "speak", "text": "billing", "heard": false},
            {"kind": "no_input", "reason": "this gather does not take speech"},
            {"kind": "speak", "text": "billing", "heard": true},
            {"kind": "pause", "seconds": 2},
            {"kind": "play", "url": "https://cdn.test/hold.mp3"},
            {"kind": "record", "text": "Call me\nback", "durationSecs": 3, "url": "http://svc/r/1.wav"},
            {"kind": "record", "durationSecs": 0, "url": "http://svc/r/2.wav"},
            {"kind": "dial", "targets": [{"target": "+12025550486", "result": "busy"},
                                          {"target": "+12025550408", "result": "no-answer"}]},
            {"kind": "enqueue", "queue": "support", "result": "bridged", "waitSecs": 5},
            {"kind": "callback", "event": "recording", "url": "http://svc/status", "status": 200},
            {"kind": "hangup", "by": "caller"}
        ]})");
    EXPECT_EQ(format_simulation(reply),
              "Calling +12025550101 from +12025550199\n"
              "  heard    \"Main menu.\" (x2)\n"
              "  said     \"billing\" (not heard)\n"
              "  no input this gather does not take speech\n"
              "  said     \"billing\"\n"
              "  waited   2 s\n"
              "  heard    audio https://cdn.test/hold.mp3\n"
              "  recorded \"Call me back\" (3 s) http://svc/r/1.wav\n"
              "  recorded nothing (0 s) http://svc/r/2.wav\n"
              "  dialed   +12025550486 -> busy\n"
              "  dialed   +12025550408 -> no answer\n"
              "  queued   in support -> an agent answered after 5 s\n"
              "  hung up  (the caller)\n"
              "Ended: the caller hung up after 31 s (the script had run out)\n"
              "(2 scripted actions were not used)\n");
}

TEST(SimulationReport, SaysHowEachOutcomeEnded) {
    const auto ended = [](json reply) {
        const auto text = format_simulation(reply);
        const auto start = text.find("Ended: ");
        return start == std::string::npos ? text : text.substr(start, text.find('\n', start) - start);
    };
    EXPECT_EQ(ended({{"outcome", "hangup"}, {"durationSecs", 9}}), "Ended: the application hung up after 9 s");
    EXPECT_EQ(ended({{"outcome", "queued"}, {"connectedTo", "support"}, {"durationSecs", 30}}),
              "Ended: queued in support and answered by an agent after 30 s");
    EXPECT_EQ(ended({{"outcome", "rejected"}}), "Ended: rejected, never answered");
    EXPECT_EQ(ended({{"outcome", "error"}, {"durationSecs", 0}, {"error", "the application answered HTTP 500"}}),
              "Ended: failed after 0 s: the application answered HTTP 500");
}

TEST(SimulationReport, NamesAMissingOwnerAndSurvivesOddReplies) {
    const auto nobody = format_simulation(json::parse(
        R"({"from":"+1","to":"+2","platform":null,"outcome":"rejected","steps":[{"kind":"reject","reason":"rejected"}]})"));
    EXPECT_EQ(nobody,
              "Calling +2 (no platform) from +1\n  rejected reason: rejected\nEnded: rejected, never answered\n");
    // Wrong types and unknown kinds print placeholders or nothing, never throw.
    const auto odd = format_simulation(json::parse(
        R"({"to":5,"steps":[7,{"kind":"dance"},{"kind":"dial","targets":"x"},{"kind":"press"},{"kind":"refer","targets":[1]}]})"));
    EXPECT_NE(odd.find("Calling ? from ?"), std::string::npos);
    EXPECT_NE(odd.find("pressed  ?"), std::string::npos);
    EXPECT_NE(odd.find("referred ?"), std::string::npos);
    EXPECT_EQ(format_simulation(json("not an object")), "Calling ? from ?\nEnded: ? after 0 s\n");
}

}  // namespace
}  // namespace crossvoice::app
