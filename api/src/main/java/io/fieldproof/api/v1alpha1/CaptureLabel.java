package io.fieldproof.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A person's verdict on one window of field data a device captured: was the alarm real, false, a
 * sensor's fault? Labels feed the false-alarm rate of a group's status and of rollout gates, and
 * select the windows of a dataset export.
 */
@Group(FieldproofApi.GROUP)
@Version(FieldproofApi.VERSION)
@ShortNames("cl")
@Categories(FieldproofApi.CATEGORY)
@AdditionalPrinterColumn(name = "LABEL", jsonPath = ".spec.label")
@AdditionalPrinterColumn(name = "WINDOW", jsonPath = ".spec.window")
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CaptureLabel extends CustomResource<CaptureLabelSpec, Void> implements Namespaced {}
