package io.fieldproof.operator;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * ServiceAccounts that read the fleet page, and their tokens from a TokenRequest: RBAC on the local
 * control plane decides what each may see.
 */
final class FleetViewers {

  private final KubernetesClient client;

  FleetViewers(KubernetesClient client) {
    this.client = client;
  }

  /** A ServiceAccount in {@code ns} with no permission at all; returns its token. */
  String withoutRoles(String ns, String name) {
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return token(ns, name);
  }

  /** A ServiceAccount in {@code ns} that may list DeviceGroups in {@code ns} only. */
  String readingItsNamespace(String ns, String name) {
    String token = withoutRoles(ns, name);
    client
        .rbac()
        .roles()
        .inNamespace(ns)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withRules(devicegroupsReader())
                .build())
        .serverSideApply();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .withNamespace(ns)
                .endSubject()
                .build())
        .serverSideApply();
    return token;
  }

  /** A ServiceAccount in {@code ns} that may list DeviceGroups in every namespace. */
  String readingEveryNamespace(String ns, String name) {
    String token = withoutRoles(ns, name);
    String role = ns + "-" + name;
    client
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(role)
                .endMetadata()
                .withRules(devicegroupsReader())
                .build())
        .serverSideApply();
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(role)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .withNamespace(ns)
                .endSubject()
                .build())
        .serverSideApply();
    return token;
  }

  private static io.fabric8.kubernetes.api.model.rbac.PolicyRule devicegroupsReader() {
    return new PolicyRuleBuilder()
        .withApiGroups("fieldproof.io")
        .withResources("devicegroups")
        .withVerbs("get", "list", "watch")
        .build();
  }

  private String token(String ns, String name) {
    return client
        .serviceAccounts()
        .inNamespace(ns)
        .withName(name)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }
}
