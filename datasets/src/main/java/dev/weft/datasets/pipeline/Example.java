package dev.weft.datasets.pipeline;

/**
 * One labelled example with float features, e.g. an image as HWC floats.
 *
 * @param x     the features (not copied)
 * @param label the class label
 */
public record Example(float[] x, int label) {}
