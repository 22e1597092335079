package dev.weft.datasets.pipeline;

/**
 * One labelled token sequence, e.g. an IMDB review as word ids.
 *
 * @param tokens the token ids (not copied)
 * @param label  the label (IMDB: 1 positive, 0 negative)
 */
public record SequenceExample(int[] tokens, int label) {}
