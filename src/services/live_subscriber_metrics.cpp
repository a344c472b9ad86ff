#include "services/live_subscriber_metrics.hpp"

#include <fmt/format.h>

#include <iterator>

namespace crossvoice::services {

void LiveSubscriberMetrics::render(std::string& out) const {
    fmt::format_to(std::back_inserter(out),
                   "# HELP crossvoice_live_subscribers Live-event clients connected to this instance.\n"
                   "# TYPE crossvoice_live_subscribers gauge\n"
                   "crossvoice_live_subscribers{{transport=\"sse\"}} {}\n"
                   "crossvoice_live_subscribers{{transport=\"websocket\"}} {}\n",
                   sse_.value(), websocket_.value());
}

}  // namespace crossvoice::services
