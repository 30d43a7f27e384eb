package io.fieldproof.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The election is off unless enabled; enabled, it names the lease and stops a replica that lost it.
 */
class LeaderElectionBeansTest {

  private final AtomicInteger exits = new AtomicInteger();
  private final LeaderElectionBeans beans = new LeaderElectionBeans(exits::incrementAndGet);

  @Test
  void disabledMeansNoElection() {
    assertThat(
            beans.leaderElection(
                false, "fieldproof-operator", Optional.of("ops"), new Leadership()))
        .isNull();
  }

  @Test
  void enabledNamesTheLeaseAndItsNamespace() {
    LeaderElectionConfiguration election =
        beans.leaderElection(true, "fieldproof-leader", Optional.of("ops"), new Leadership());

    assertThat(election.getLeaseName()).isEqualTo("fieldproof-leader");
    assertThat(election.getLeaseNamespace()).contains("ops");
  }

  @Test
  void aReplicaThatStopsLeadingExits() {
    LeaderElectionConfiguration election =
        beans.leaderElection(true, "l", Optional.empty(), new Leadership());

    election.getLeaderCallbacks().orElseThrow().onStartLeading();
    election.getLeaderCallbacks().orElseThrow().onNewLeader("another-pod");
    assertThat(exits).hasValue(0);
    election.getLeaderCallbacks().orElseThrow().onStopLeading();

    assertThat(exits).as("the replica asked to exit").hasValue(1);
    assertThat(election.isExitOnStopLeading())
        .as("not through the SDK's System.exit, which deadlocks during a shutdown")
        .isFalse();
  }

  @Test
  void aBlankNamespaceFallsBackToThePodsOwn() {
    assertThat(
            beans.leaderElection(true, "l", Optional.of(" "), new Leadership()).getLeaseNamespace())
        .isEmpty();
  }

  @Test
  void aStandbyDoesNotLeadUntilElectedAndWithoutElectionEveryReplicaLeads() {
    Leadership standby = new Leadership(true);
    LeaderElectionConfiguration election =
        beans.leaderElection(true, "l", Optional.empty(), standby);
    assertThat(standby.leading()).isFalse();

    java.util.concurrent.atomic.AtomicInteger subscribed =
        new java.util.concurrent.atomic.AtomicInteger();
    standby.whenLeading(subscribed::incrementAndGet);
    assertThat(subscribed).as("nothing done before the election").hasValue(0);

    election.getLeaderCallbacks().orElseThrow().onStartLeading();

    assertThat(standby.leading()).isTrue();
    assertThat(subscribed).hasValue(1);
    Leadership alone = new Leadership();
    beans.leaderElection(false, "l", Optional.empty(), alone);
    assertThat(alone.leading()).isTrue();
  }
}
