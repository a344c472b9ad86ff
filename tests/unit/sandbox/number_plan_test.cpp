#include "sandbox/number_plan.hpp"

#include <gtest/gtest.h>

namespace crossvoice::sandbox {
namespace {

TEST(NumberPlanTest, TheLastThreeDigitsDecide) {
    EXPECT_EQ(behaviour_for("+15550100486"), NumberBehaviour::kBusy);
    EXPECT_EQ(behaviour_for("+15550100408"), NumberBehaviour::kNoAnswer);
    EXPECT_EQ(behaviour_for("+15550100404"), NumberBehaviour::kNotFound);
    EXPECT_EQ(behaviour_for("+15550100603"), NumberBehaviour::kRejected);
    EXPECT_EQ(behaviour_for("+15550100422"), NumberBehaviour::kDialInvalid);
    EXPECT_EQ(behaviour_for("+15550100429"), NumberBehaviour::kDialRateLimited);
    EXPECT_EQ(behaviour_for("+15550100500"), NumberBehaviour::kDialServerError);
    EXPECT_EQ(behaviour_for("+15550100504"), NumberBehaviour::kDialStalls);
    EXPECT_EQ(behaviour_for("+15550100410"), NumberBehaviour::kRecordingGone);
    EXPECT_EQ(behaviour_for("+15550100123"), NumberBehaviour::kAnswers);
    EXPECT_EQ(behaviour_for("+4864"), NumberBehaviour::kAnswers) << "486 must be the last three digits";
    EXPECT_EQ(behaviour_for("12"), NumberBehaviour::kAnswers);
}

TEST(NumberPlanTest, ASipUriIsJudgedByItsUserPart) {
    EXPECT_EQ(behaviour_for("sip:+15550100486@pbx.example.com"), NumberBehaviour::kBusy);
    EXPECT_EQ(behaviour_for("sip:+15550100486@pbx.example.com;transport=tls"), NumberBehaviour::kBusy);
    EXPECT_EQ(behaviour_for("sip:agent@pbx.example.486"), NumberBehaviour::kAnswers);
}

TEST(NumberPlanTest, OnlyTheDialFailureRowsFailTheDial) {
    EXPECT_TRUE(fails_dial(NumberBehaviour::kDialInvalid));
    EXPECT_TRUE(fails_dial(NumberBehaviour::kDialRateLimited));
    EXPECT_TRUE(fails_dial(NumberBehaviour::kDialServerError));
    EXPECT_TRUE(fails_dial(NumberBehaviour::kDialStalls));
    EXPECT_FALSE(fails_dial(NumberBehaviour::kBusy));
    EXPECT_FALSE(fails_dial(NumberBehaviour::kRecordingGone));
}

TEST(NumberPlanTest, RingTimeoutIsCappedByTimeoutSecs) {
    using std::chrono::milliseconds;
    EXPECT_EQ(ring_timeout(milliseconds(2'000), std::nullopt), milliseconds(2'000));
    EXPECT_EQ(ring_timeout(milliseconds(20'000), 5), milliseconds(5'000));
    EXPECT_EQ(ring_timeout(milliseconds(2'000), 30), milliseconds(2'000));
}

}  // namespace
}  // namespace crossvoice::sandbox
