#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/ivr/flow.hpp"

// Small builders for flows in tests: a node per line instead of a struct per statement.
namespace crossvoice::testing::ivr {

using namespace core::ivr;

inline Node node(std::string id, NodeBody body, int line = 0) { return Node{std::move(id), std::move(body), line}; }

inline MenuOption option(std::string digit, std::vector<std::string> phrases, std::string next,
                         std::vector<std::string> synonyms = {}) {
    MenuOption out;
    out.digit = std::move(digit);
    out.phrases = std::move(phrases);
    out.synonyms = std::move(synonyms);
    out.next = std::move(next);
    return out;
}

inline MenuNode menu(std::string prompt, std::vector<MenuOption> options, std::string fallback, bool speech = true) {
    MenuNode out;
    out.prompt = std::move(prompt);
    out.options = std::move(options);
    out.fallback = std::move(fallback);
    out.speech = speech;
    return out;
}

inline IvrFlow flow(std::string name, std::string start, std::vector<Node> nodes) {
    IvrFlow out;
    out.name = std::move(name);
    out.start = std::move(start);
    out.nodes = std::move(nodes);
    out.source = "test.yaml";
    return out;
}

// A flow with one of everything a caller meets on a typical line:
// welcome -> main menu: 1 sales (transfer, no answer -> voicemail), 2 billing (collect account -> confirm ->
// transfer), 0 operator (transfer -> voicemail), fallback operator; voicemail -> goodbye.
inline IvrFlow reception() {
    CollectNode account;
    account.prompt = "Enter your account number, then press pound.";
    account.variable = "account";
    account.min_digits = 4;
    account.max_digits = 8;
    account.next = "confirm";
    account.fallback = "operator";
    RecordNode voicemail;
    voicemail.prompt = "Leave a message after the tone.";
    voicemail.next = "goodbye";
    return flow("reception", "welcome",
                {
                    node("welcome", SayNode{"Welcome to TETRIX.", "main"}, 3),
                    node("main",
                         menu("For sales press 1. For billing press 2. For an operator press 0.",
                              {option("1", {"sales"}, "sales", {"buy", "pricing"}),
                               option("2", {"billing"}, "billing", {"invoice", "my bill"}),
                               option("0", {"operator", "person"}, "operator", {"agent", "representative"})},
                              "operator"),
                         5),
                    node("sales", TransferNode{"Connecting you to sales.",
                                               {"+12025550120", "sip:sales@example.com"},
                                               20,
                                               std::nullopt,
                                               false,
                                               "voicemail"}),
                    node("billing", std::move(account)),
                    node("confirm", SayNode{"Thank you. Account {{account}}.", "billing_desk"}),
                    node("billing_desk", TransferNode{"", {"+12025550122"}, 30, std::nullopt, true, "voicemail"}),
                    node("operator", TransferNode{"", {"+12025550123"}, 30, std::nullopt, false, "voicemail"}),
                    node("voicemail", std::move(voicemail)),
                    node("goodbye", HangupNode{"Goodbye."}),
                });
}

}  // namespace crossvoice::testing::ivr
