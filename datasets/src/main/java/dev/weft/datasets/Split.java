package dev.weft.datasets;

/** Which official part of a dataset to read. */
public enum Split {
    /** The training set (MNIST 60,000 images; CIFAR 50,000; IMDB 25,000 reviews). */
    TRAIN,
    /** The test set (MNIST and CIFAR 10,000 images; IMDB 25,000 reviews). */
    TEST
}
