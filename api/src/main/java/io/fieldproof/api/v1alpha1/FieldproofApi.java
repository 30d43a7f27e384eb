package io.fieldproof.api.v1alpha1;

/** The coordinates of the fieldproof.io API. */
public final class FieldproofApi {
  public static final String GROUP = "fieldproof.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String CATEGORY = "fieldproof";

  private FieldproofApi() {}
}
