#include "api/assistant_handlers.hpp"

#include <algorithm>

#include "api/json_body.hpp"
#include "api/session_json.hpp"
#include "core/time_format.hpp"
#include "services/message_json.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;
using nlohmann::json;
using services::message_json;

constexpr int kMaxSearchResults = 10;

json reply_json(const core::AssistantReply& reply, const std::string& language) {
    return {{"text", reply.text},
            {"persona", reply.persona},
            {"intent", reply.intent},
            {"confidence", reply.confidence},
            {"handoff", core::to_string(reply.handoff)},
            {"endConversation", reply.end_conversation},
            {"sources", reply.sources},
            {"responder", reply.responder},
            {"language", language}};
}

json conversation_json(const services::ShangoConversationView& view) {
    json history = json::array();
    for (const auto& message : view.history) history.push_back(message_json(message));
    const bool agent = view.conversation.owner == core::ports::ConversationOwner::kAgent;
    return {{"id", view.session.id},
            {"sessionId", view.session.id},
            {"userId", view.session.user_id ? json(*view.session.user_id) : json()},
            {"channel", core::to_string(view.session.channel)},
            {"status", core::to_string(view.session.status)},
            {"persona", view.conversation.persona},
            {"owner", agent ? "agent" : "assistant"},
            {"turns", view.conversation.turns},
            {"createdAt", core::format_rfc3339(view.session.start_time)},
            {"history", std::move(history)}};
}

json document_json(const core::KnowledgeDocument& document, bool with_markdown) {
    json out{{"name", document.name},
             {"platform", core::to_string(document.platform)},
             {"origin", document.origin},
             {"version", document.version},
             {"bytes", document.markdown.size()},
             {"updatedAt", core::format_rfc3339(document.updated_at)}};
    if (with_markdown) out["markdown"] = document.markdown;
    return out;
}

json passage_json(const core::KnowledgePassage& passage) {
    return {{"id", passage.id},
            {"document", passage.document},
            {"heading", passage.heading},
            {"text", passage.text},
            {"score", passage.score}};
}

HandlerResult open_session(RequestContext& context, services::ShangoService& shango) {
    context.audit.action = "shango.session.create";
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    services::NewShangoSession request;
    auto user = fields.required_string("userId");
    if (!user) return std::move(user).error();
    request.user_id = std::move(user).value();
    auto agent = fields.optional_string("agentId");
    if (!agent) return std::move(agent).error();
    request.persona = std::move(agent).value();
    auto channel = fields.optional_string("channel");
    if (!channel) return std::move(channel).error();
    if (*channel) request.channel = **channel;
    auto view = shango.open(context.caller(), request);
    if (!view) return std::move(view).error();
    context.audit.target = "session:" + view->session.id;
    return success(201, {{"sessionId", view->session.id},
                         {"session", conversation_json(*view)},
                         {"greeting", view->history.empty() ? json() : message_json(view->history.front())}});
}

HandlerResult post_message(RequestContext& context, services::ShangoService& shango) {
    const std::string id(context.param("id"));
    context.audit.action = "shango.message";
    context.audit.target = "session:" + id;
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    auto text = fields.required_string("message");
    if (!text) return std::move(text).error();
    auto answered = shango.chat(context.caller(), id, *text);
    if (!answered) return std::move(answered).error();
    json out{{"sessionId", id}, {"message", message_json(answered->question)}};
    if (answered->owned_by_agent) {
        out["aiResponse"] = json();
        out["owner"] = "agent";
    } else {
        out["aiResponse"] = reply_json(answered->reply, answered->language);
        out["aiResponse"]["message"] = message_json(*answered->answer);
        out["owner"] = answered->reply.handoff == core::Handoff::kAgent ? "agent" : "assistant";
    }
    return success(200, std::move(out));
}

HandlerResult get_session(RequestContext& context, services::ShangoService& shango) {
    auto view = shango.get(context.caller(), std::string(context.param("id")));
    if (!view) return std::move(view).error();
    return success(200, {{"session", conversation_json(*view)}});
}

HandlerResult list_documents(RequestContext& context, services::KnowledgeService& knowledge) {
    auto documents = knowledge.list(context.caller().platform);
    if (!documents) return std::move(documents).error();
    json out = json::array();
    for (const auto& document : *documents) out.push_back(document_json(document, false));
    return success(200, {{"documents", std::move(out)}});
}

HandlerResult get_document(RequestContext& context, services::KnowledgeService& knowledge) {
    auto document = knowledge.get(context.caller().platform, std::string(context.param("doc")));
    if (!document) return std::move(document).error();
    return success(200, {{"document", document_json(*document, true)}});
}

bool is_markdown_body(const http::Request& request) {
    const auto type = request.header("content-type");
    if (!type) return false;
    std::string bare(type->substr(0, type->find(';')));
    std::transform(bare.begin(), bare.end(), bare.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (!bare.empty() && (bare.back() == ' ' || bare.back() == '\t')) bare.pop_back();
    return bare == "text/markdown" || bare == "text/plain";
}

HandlerResult put_document(RequestContext& context, services::KnowledgeService& knowledge) {
    const std::string name(context.param("doc"));
    context.audit.action = "knowledge.put";
    context.audit.target = "knowledge:" + name;
    std::string markdown;
    if (is_markdown_body(context.request)) {
        markdown = context.request.body;
    } else {
        auto body = parse_json_object(context.request);
        if (!body) {
            auto error = std::move(body).error();
            if (error.code == core::ErrorCode::kUnsupportedMediaType) {
                error.message = "a knowledge document is sent as text/markdown, or as JSON {\"markdown\": \"...\"}";
            }
            return error;
        }
        auto text = Fields(*body).required_string("markdown");
        if (!text) return std::move(text).error();
        markdown = std::move(text).value();
    }
    auto saved = knowledge.put(context.caller().platform, name, std::move(markdown));
    if (!saved) return std::move(saved).error();
    return success(200, {{"document", document_json(*saved, false)}});
}

HandlerResult delete_document(RequestContext& context, services::KnowledgeService& knowledge) {
    const std::string name(context.param("doc"));
    context.audit.action = "knowledge.delete";
    context.audit.target = "knowledge:" + name;
    if (auto removed = knowledge.remove(context.caller().platform, name); !removed) return std::move(removed).error();
    return success(200, {{"deleted", name}});
}

HandlerResult reindex(RequestContext& context, services::KnowledgeService& knowledge) {
    context.audit.action = "knowledge.reindex";
    auto stats = knowledge.reindex();
    if (!stats) return std::move(stats).error();
    return success(200, {{"documents", stats->documents}, {"passages", stats->passages}});
}

HandlerResult search(RequestContext& context, services::KnowledgeService& knowledge) {
    context.audit.recorded_elsewhere = true;  // a read
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const Fields fields(*body);
    auto query = fields.required_string("query");
    if (!query) return std::move(query).error();
    auto limit = fields.optional_int("limit", 3, 1, kMaxSearchResults);
    if (!limit) return std::move(limit).error();
    auto passages = knowledge.search(context.caller().platform, *query, static_cast<std::size_t>(*limit));
    if (!passages) return std::move(passages).error();
    json out = json::array();
    for (const auto& passage : *passages) out.push_back(passage_json(passage));
    return success(200, {{"passages", std::move(out)}});
}

}  // namespace

void add_assistant_routes(http::Router& router, services::ShangoService& shango,
                          services::KnowledgeService& knowledge) {
    using http::Access;
    using http::Execution;
    using http::Method;
    router.add({Method::kPost, "/api/v1/shango/sessions", "Start a conversation with SHANGO", Access::kApiKey,
                Execution::kWorker, [&shango](RequestContext& context) { return open_session(context, shango); }});
    router.add({Method::kPost, "/api/v1/shango/sessions/{id}/messages", "Say something to SHANGO; get its answer",
                Access::kApiKey, Execution::kWorker,
                [&shango](RequestContext& context) { return post_message(context, shango); }});
    router.add({Method::kGet, "/api/v1/shango/sessions/{id}", "A SHANGO conversation with its history", Access::kApiKey,
                Execution::kWorker, [&shango](RequestContext& context) { return get_session(context, shango); }});
    router.add({Method::kGet, "/api/knowledge", "List the platform's knowledge documents", Access::kApiKey,
                Execution::kWorker,
                [&knowledge](RequestContext& context) { return list_documents(context, knowledge); }});
    router.add({Method::kPost, "/api/knowledge/reindex", "Rebuild SHANGO's knowledge index", Access::kApiKey,
                Execution::kWorker, [&knowledge](RequestContext& context) { return reindex(context, knowledge); }});
    router.add({Method::kPost, "/api/knowledge/search", "The knowledge passages SHANGO would use for a question",
                Access::kApiKey, Execution::kWorker,
                [&knowledge](RequestContext& context) { return search(context, knowledge); }});
    router.add({Method::kGet, "/api/knowledge/{doc}", "One knowledge document (markdown)", Access::kApiKey,
                Execution::kWorker,
                [&knowledge](RequestContext& context) { return get_document(context, knowledge); }});
    router.add({Method::kPut, "/api/knowledge/{doc}", "Create or replace a knowledge document; reindexes",
                Access::kApiKey, Execution::kWorker,
                [&knowledge](RequestContext& context) { return put_document(context, knowledge); }});
    router.add({Method::kDelete, "/api/knowledge/{doc}", "Delete a knowledge document; reindexes", Access::kApiKey,
                Execution::kWorker,
                [&knowledge](RequestContext& context) { return delete_document(context, knowledge); }});
}

}  // namespace crossvoice::api
