package io.fieldproof.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Puts one quantized model on one DeviceGroup, progressively, with automatic rollback. */
@Group(FieldproofApi.GROUP)
@Version(FieldproofApi.VERSION)
@ShortNames("mr")
@Categories(FieldproofApi.CATEGORY)
@AdditionalPrinterColumn(name = "GROUP", jsonPath = ".spec.deviceGroup")
@AdditionalPrinterColumn(name = "MODEL", jsonPath = ".spec.model.name")
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.model.version")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "STEP",
    jsonPath = ".status.currentStep",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "UPDATED",
    jsonPath = ".status.devices.updated",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "FAILED",
    jsonPath = ".status.devices.failed",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ModelRollout extends CustomResource<ModelRolloutSpec, ModelRolloutStatus>
    implements Namespaced {}
