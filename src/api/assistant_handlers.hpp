#pragma once

#include "http/router.hpp"
#include "services/knowledge_service.hpp"
#include "services/shango_service.hpp"

namespace crossvoice::api {

// SHANGO in chat: POST /api/v1/shango/sessions, POST /api/v1/shango/sessions/{id}/messages,
// GET /api/v1/shango/sessions/{id}; its knowledge: GET /api/knowledge, GET/PUT/DELETE /api/knowledge/{doc},
// POST /api/knowledge/reindex, POST /api/knowledge/search.
void add_assistant_routes(http::Router& router, services::ShangoService& shango, services::KnowledgeService& knowledge);

}  // namespace crossvoice::api
