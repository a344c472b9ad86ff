#include "api/ivr_handlers.hpp"

#include <charconv>

#include "api/form_params.hpp"
#include "api/json_body.hpp"
#include "core/time_format.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;

bool has_media_type(const http::Request& request, std::string_view expected) {
    const auto type = request.header("content-type");
    if (!type) return false;
    const auto bare = type->substr(0, type->find(';'));
    const auto trimmed = bare.substr(0, bare.find_last_not_of(" \t") + 1);
    if (trimmed.size() != expected.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(trimmed[i])) != expected[i]) return false;
    }
    return true;
}

// The carrier's parameters (form body for POST, query string for GET) plus ours from the action URL.
core::Result<services::TexmlRequest> read_texml(const http::Request& request) {
    services::TexmlRequest out;
    const bool post = request.method == http::Method::kPost;
    if (post && !has_media_type(request, "application/x-www-form-urlencoded")) {
        return core::Error{
            core::ErrorCode::kUnsupportedMediaType, "TeXML callbacks are application/x-www-form-urlencoded", {}};
    }
    out.delivery = {request.header("telnyx-signature-ed25519"), request.header("telnyx-timestamp"),
                    post ? std::string_view(request.body) : std::string_view(request.query)};
    auto query = parse_form(request.query);
    if (!query) return std::move(query).error();
    if (post) {
        auto body = parse_form(request.body);
        if (!body) return std::move(body).error();
        out.params = std::move(body).value();
    }
    for (auto& [name, value] : *query) {
        if (name == "step") {
            int step = 0;
            const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), step);
            if (error != std::errc() || end != value.data() + value.size() || step < 0) {
                return core::Error::validation("step", "step must be a whole number");
            }
            out.step = step;
        } else if (name == "input") {
            out.input = value;
        } else if (!post) {
            out.params.emplace_back(std::move(name), std::move(value));
        }
    }
    return out;
}

HandlerResult texml(RequestContext& context, services::IvrService& ivr) {
    context.audit.recorded_elsewhere = true;  // carrier traffic: the call and its events are the record
    auto request = read_texml(context.request);
    if (!request) return std::move(request).error();
    auto reply = ivr.instructions(*request);
    if (!reply) return std::move(reply).error();
    return http::Response::text(200, reply->content_type, std::move(reply->body));
}

HandlerResult texml_status(RequestContext& context, services::IvrService& ivr) {
    context.audit.recorded_elsewhere = true;
    auto request = read_texml(context.request);
    if (!request) return std::move(request).error();
    auto outcome = ivr.status(*request);
    if (!outcome) return std::move(outcome).error();
    return success(200,
                   {
                       {"eventId", outcome->event_id},
                       {"eventType", outcome->event_type},
                       {"duplicate", outcome->duplicate},
                       {"callId", outcome->call_id ? nlohmann::json(*outcome->call_id) : nlohmann::json()},
                       {"status", outcome->state ? nlohmann::json(core::to_string(*outcome->state)) : nlohmann::json()},
                   });
}

nlohmann::json flow_summary_json(const core::ports::StoredFlow& stored) {
    return {
        {"name", stored.name},       {"platform", core::to_string(stored.platform)},
        {"origin", stored.origin},   {"version", stored.version},
        {"numbers", stored.numbers}, {"updatedAt", core::format_rfc3339(stored.updated_at)},
    };
}

// The graph as the console draws it: nodes with their type and the edges out of them.
nlohmann::json flow_graph_json(const core::ivr::IvrFlow& flow) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& node : flow.nodes) {
        nodes.push_back({{"id", node.id},
                         {"type", core::ivr::node_type_name(node.body)},
                         {"line", node.line},
                         {"next", core::ivr::successors(node.body)}});
    }
    return {{"start", flow.start},
            {"language", flow.language},
            {"description", flow.description},
            {"nodes", std::move(nodes)}};
}

HandlerResult list_flows(RequestContext& context, services::FlowCatalog& flows) {
    auto listed = flows.list(context.caller().platform);
    if (!listed) return std::move(listed).error();
    nlohmann::json out = nlohmann::json::array();
    for (const auto& stored : *listed) out.push_back(flow_summary_json(stored));
    return success(200, {{"flows", std::move(out)}});
}

HandlerResult get_flow(RequestContext& context, services::FlowCatalog& flows) {
    auto found = flows.get(context.caller().platform, std::string(context.param("name")));
    if (!found) return std::move(found).error();
    auto rendered = flow_summary_json(found->stored);
    rendered["source"] = found->stored.source_text;
    rendered["graph"] = flow_graph_json(*found->flow);
    return success(200, {{"flow", std::move(rendered)}});
}

HandlerResult put_flow(RequestContext& context, services::FlowCatalog& flows) {
    const std::string name(context.param("name"));
    context.audit.action = "ivr.flow.put";
    context.audit.target = "flow:" + name;
    const auto& request = context.request;
    const bool readable = has_media_type(request, "application/yaml") ||
                          has_media_type(request, "application/x-yaml") || has_media_type(request, "text/yaml") ||
                          has_media_type(request, "application/json") || has_media_type(request, "text/plain");
    if (!readable) {
        return core::Error{
            core::ErrorCode::kUnsupportedMediaType, "a flow is sent as application/yaml (or application/json)", {}};
    }
    auto saved = flows.put(context.caller().platform, name, request.body);
    if (!saved) return std::move(saved).error();
    auto rendered = flow_summary_json(saved->stored);
    rendered["graph"] = flow_graph_json(*saved->flow);
    return success(200, {{"flow", std::move(rendered)}});
}

HandlerResult delete_flow(RequestContext& context, services::FlowCatalog& flows) {
    const std::string name(context.param("name"));
    context.audit.action = "ivr.flow.delete";
    context.audit.target = "flow:" + name;
    if (auto removed = flows.remove(context.caller().platform, name); !removed) return std::move(removed).error();
    return success(200, {{"deleted", name}});
}

HandlerResult get_ivr_call(RequestContext& context, services::IvrService& ivr) {
    const std::string id(context.param("id"));
    auto position = ivr.position(context.caller().platform, id);
    if (!position) return std::move(position).error();
    if (!*position) return core::Error::not_found("IVR position of call", id);
    const auto& state = (*position)->state;
    return success(200, {{"callId", id},
                         {"ivr",
                          {
                              {"flow", state.flow},
                              {"node", state.node},
                              {"awaiting", core::ivr::to_string(state.awaiting)},
                              {"step", state.step},
                              {"attempts", state.attempts},
                              {"language", state.language},
                              {"outcome", state.outcome},
                              {"variables", state.variables},
                          }}});
}

}  // namespace

void add_ivr_routes(http::Router& router, services::IvrService& ivr, services::FlowCatalog& flows) {
    using http::Method;
    // Open: the carrier cannot hold our API key; every request is checked against its Ed25519 signature.
    for (const auto method : {Method::kPost, Method::kGet}) {
        router.add({method, "/api/voice/texml", "TeXML application: instructions for a call (signed)",
                    http::Access::kPublic, http::Execution::kWorker,
                    [&ivr](RequestContext& context) { return texml(context, ivr); }});
        router.add({method, "/api/voice/texml/status", "TeXML status and recording callbacks (signed)",
                    http::Access::kPublic, http::Execution::kWorker,
                    [&ivr](RequestContext& context) { return texml_status(context, ivr); }});
    }
    router.add({Method::kGet, "/api/ivr/flows", "List the platform's IVR flows", http::Access::kApiKey,
                http::Execution::kWorker, [&flows](RequestContext& context) { return list_flows(context, flows); }});
    router.add({Method::kGet, "/api/ivr/flows/{name}", "Get one IVR flow: source, numbers and graph",
                http::Access::kApiKey, http::Execution::kWorker,
                [&flows](RequestContext& context) { return get_flow(context, flows); }});
    router.add({Method::kPut, "/api/ivr/flows/{name}", "Create or replace an IVR flow (validated)",
                http::Access::kApiKey, http::Execution::kWorker,
                [&flows](RequestContext& context) { return put_flow(context, flows); }});
    router.add({Method::kDelete, "/api/ivr/flows/{name}", "Delete an IVR flow", http::Access::kApiKey,
                http::Execution::kWorker, [&flows](RequestContext& context) { return delete_flow(context, flows); }});
    router.add({Method::kGet, "/api/ivr/calls/{id}", "Where a call stands in its IVR flow", http::Access::kApiKey,
                http::Execution::kWorker, [&ivr](RequestContext& context) { return get_ivr_call(context, ivr); }});
}

}  // namespace crossvoice::api
