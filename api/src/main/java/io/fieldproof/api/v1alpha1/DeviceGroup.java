package io.fieldproof.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which devices form a group, and how every member must run. */
@Group(FieldproofApi.GROUP)
@Version(FieldproofApi.VERSION)
@ShortNames("dg")
@Categories(FieldproofApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "DEVICES",
    jsonPath = ".status.devices.summary",
    getDescription = "online/total member devices")
@AdditionalPrinterColumn(
    name = "HEALTHY",
    jsonPath = ".status.devices.healthy",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "MODEL", jsonPath = ".status.currentModel.name")
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".status.currentModel.version", priority = 1)
@AdditionalPrinterColumn(name = "ROLLOUT", jsonPath = ".status.activeRollout")
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DeviceGroup extends CustomResource<DeviceGroupSpec, DeviceGroupStatus>
    implements Namespaced {}
