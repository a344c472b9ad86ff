#pragma once

#include "app/config.hpp"

namespace crossvoice::app {

// `crossvoice kb reindex`: stores the shipped knowledge documents (CROSSVOICE_KNOWLEDGE_DIR), rebuilds SHANGO's
// index from every stored document (checking each can be indexed), tells running instances to rebuild theirs,
// and prints the documents and passages per platform. Exit 0, or 1 with the problem.
int kb_reindex(const Config& config);

}  // namespace crossvoice::app
