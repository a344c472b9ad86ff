#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crossvoice::observability {

// Lock-free instruments: a hot path only does relaxed atomic adds; rendering reads them.

class Counter {
  public:
    void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
  public:
    void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
    void set(std::int64_t n) { value_.store(n, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::int64_t> value_{0};
};

// Latency histogram with fixed upper bounds in seconds; observations are recorded in microseconds.
class Histogram {
  public:
    static constexpr std::array<double, 12> kLatencyBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                           0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    void observe_us(std::uint64_t micros);
    // Appends the _bucket, _sum and _count lines for `name` with `labels` ("" or `a="b",c="d"`).
    void render(std::string& out, std::string_view name, std::string_view labels) const;
    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

  private:
    std::array<std::atomic<std::uint64_t>, kLatencyBounds.size()> buckets_{};  // non-cumulative
    std::atomic<std::uint64_t> sum_us_{0};
    std::atomic<std::uint64_t> count_{0};
};

// Something that writes its families in Prometheus text format 0.0.4.
class MetricSource {
  public:
    virtual ~MetricSource() = default;
    virtual void render(std::string& out) const = 0;
};

// The set of sources /metrics renders, in registration order. Sources are added at start-up only.
class MetricsRegistry {
  public:
    void add(std::shared_ptr<const MetricSource> source) { sources_.push_back(std::move(source)); }
    std::string render() const;

  private:
    std::vector<std::shared_ptr<const MetricSource>> sources_;
};

// crossvoice_build_info{version="…",commit="…"} 1
class BuildInfo final : public MetricSource {
  public:
    BuildInfo(std::string version, std::string commit) : version_(std::move(version)), commit_(std::move(commit)) {}
    void render(std::string& out) const override;

  private:
    std::string version_;
    std::string commit_;
};

// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace crossvoice::observability
