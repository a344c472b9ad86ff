#include "api/transcription_handlers.hpp"

#include "api/json_body.hpp"
#include "api/transcription_request_reader.hpp"
#include "core/time_format.hpp"
#include "services/message_json.hpp"

namespace crossvoice::api {
namespace {

using http::HandlerResult;
using http::RequestContext;
using nlohmann::json;
using services::message_json;

constexpr std::size_t kMaxBatchItems = 100;

json queued_json(const services::TranscribeOutcome& outcome) {
    return {{"jobId", outcome.job_id},
            {"status", "queued"},
            {"statusUrl", "/api/voice/transcribe/" + outcome.job_id},
            {"sessionId", outcome.session_id ? json(*outcome.session_id) : json()}};
}

HandlerResult transcribe(RequestContext& context, services::TranscriptionService& transcription) {
    context.audit.action = "transcription.create";
    auto request = read_transcribe_request(context.request);
    if (!request) return std::move(request).error();
    if (request->session_id) context.audit.target = "session:" + *request->session_id;
    auto outcome = transcription.transcribe(context.caller(), std::move(request).value());
    if (!outcome) return std::move(outcome).error();
    if (outcome->queued) {
        context.audit.target = "job:" + outcome->job_id;
        return success(202, queued_json(*outcome));
    }
    context.audit.target = "transcript:" + outcome->transcript_id;
    return success(200, {{"transcriptId", outcome->transcript_id},
                         {"sessionId", outcome->session_id ? json(*outcome->session_id) : json()},
                         {"transcription", outcome->transcription}});
}

HandlerResult transcribe_batch(RequestContext& context, services::TranscriptionService& transcription) {
    context.audit.action = "transcription.batch";
    auto body = parse_json_object(context.request);
    if (!body) return std::move(body).error();
    const auto items = body->find("items");
    if (items == body->end() || !items->is_array() || items->empty()) {
        return core::Error::validation("items", "items must be a non-empty array of transcription requests");
    }
    if (items->size() > kMaxBatchItems) {
        return core::Error::validation("items", "a batch holds at most 100 items");
    }
    for (const auto& [key, value] : body->items()) {
        if (key != "items") return core::Error::validation(key, "unknown field " + key + "; a batch is {items: [...]}");
    }
    std::vector<services::TranscribeRequest> requests;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto read = read_transcribe_object((*items)[i], "items[" + std::to_string(i) + "].");
        if (!read) return std::move(read).error();
        requests.push_back(std::move(read).value());
    }
    auto outcomes = transcription.transcribe_batch(context.caller(), std::move(requests));
    if (!outcomes) return std::move(outcomes).error();
    json jobs = json::array();
    for (const auto& outcome : *outcomes) jobs.push_back(queued_json(outcome));
    context.audit.target = "jobs:" + std::to_string(outcomes->size());
    return success(202, {{"jobs", std::move(jobs)}});
}

std::string_view job_state(const core::Job& job, bool has_transcript) {
    switch (job.status) {
        case core::JobStatus::kQueued: return job.attempts > 0 ? "retrying" : "queued";
        case core::JobStatus::kRunning: return "running";
        case core::JobStatus::kSucceeded: return has_transcript ? "completed" : "failed";
        case core::JobStatus::kDead: return "failed";
    }
    return "queued";
}

HandlerResult get_job(RequestContext& context, services::TranscriptionService& transcription) {
    auto view = transcription.job(context.caller(), std::string(context.param("jobId")));
    if (!view) return std::move(view).error();
    const auto& job = view->job;
    json out{{"jobId", job.id},
             {"status", job_state(job, view->transcript.has_value())},
             {"attempts", job.attempts},
             {"error", job.last_error && job.status != core::JobStatus::kSucceeded ? json(*job.last_error) : json()},
             {"transcriptId", json()},
             {"transcription", json()}};
    if (view->transcript) {
        out["transcriptId"] = view->transcript->id;
        out["sessionId"] = view->transcript->session_id ? json(*view->transcript->session_id) : json();
        auto body = json::parse(view->transcript->body_json, nullptr, false);
        if (body.is_object()) body["id"] = view->transcript->id;
        out["transcription"] = std::move(body);
    }
    return success(200, std::move(out));
}

HandlerResult list_messages(RequestContext& context, services::TimelineService& timeline) {
    auto limit = query_int(context.request, "limit", 50);
    if (!limit) return std::move(limit).error();
    auto after = query_string(context.request, "after");
    if (!after) return std::move(after).error();
    const std::string session_id(context.param("id"));
    auto messages = timeline.list(context.caller(), session_id, *limit, std::move(after).value());
    if (!messages) return std::move(messages).error();
    json rendered = json::array();
    for (const auto& message : *messages) rendered.push_back(message_json(message));
    const bool full_page = static_cast<int>(messages->size()) == *limit;
    return success(200, {{"sessionId", session_id},
                         {"messages", std::move(rendered)},
                         {"nextAfter", full_page ? json(messages->back().id) : json()}});
}

}  // namespace

void add_transcription_routes(http::Router& router, services::TranscriptionService& transcription,
                              services::TimelineService& timeline, std::size_t max_upload_bytes) {
    http::Route upload{http::Method::kPost,
                       "/api/voice/transcribe",
                       "Transcribe audio (URL, call recording or upload); long audio becomes a job",
                       http::Access::kApiKey,
                       http::Execution::kWorker,
                       [&transcription](RequestContext& context) { return transcribe(context, transcription); }};
    upload.max_body_bytes = max_upload_bytes;
    router.add(std::move(upload));
    router.add({http::Method::kPost, "/api/voice/transcribe/batch", "Queue many transcriptions at once",
                http::Access::kApiKey, http::Execution::kWorker,
                [&transcription](RequestContext& context) { return transcribe_batch(context, transcription); }});
    router.add({http::Method::kGet, "/api/voice/transcribe/{jobId}", "Poll a queued transcription",
                http::Access::kApiKey, http::Execution::kWorker,
                [&transcription](RequestContext& context) { return get_job(context, transcription); }});
    router.add({http::Method::kGet, "/api/voice/integration/sessions/{id}/messages",
                "A session's timeline across channels, oldest first", http::Access::kApiKey, http::Execution::kWorker,
                [&timeline](RequestContext& context) { return list_messages(context, timeline); }});
}

}  // namespace crossvoice::api
