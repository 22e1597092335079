/**
 * Keras-style training: {@link dev.weft.zoo.train.Trainer} ({@code compile}, {@code fit},
 * {@code evaluate}, {@code predict}), the {@link dev.weft.zoo.train.History} it returns, data
 * sources ({@link dev.weft.zoo.train.Batches} for tensors, {@link dev.weft.zoo.train.DatasetBatches}
 * for the datasets pipeline), custom steps ({@link dev.weft.zoo.train.TrainStep}) and the raw
 * GradientTape-style loop ({@link dev.weft.zoo.train.RawLoop}).
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model)   // model built (e.g. Sequential.input(...)) before the optimizer is made
 *         .compile(new Adam(model.namedParameters()), new CategoricalCrossentropy(), Metrics.accuracy());
 * History h = trainer.fit(DatasetBatches.images(train, Targets.oneHot(100)), FitOptions.epochs(10)
 *         .validationData(DatasetBatches.images(val, Targets.oneHot(100)))
 *         .callbacks(new CSVLogger(out.resolve("training.csv")), new TensorBoard(out.resolve("logs")),
 *                    ModelCheckpoint.best(out.resolve("best.safetensors"), "val_accuracy", Monitor.AUTO),
 *                    new EarlyStopping("val_loss", 3).restoreBestWeights(true), new TerminateOnNaN()));
 * }</pre>
 *
 * Metrics live in {@code dev.weft.zoo.metrics}, callbacks in {@code dev.weft.zoo.callbacks}, the
 * progress bar in {@code dev.weft.zoo.progress}.
 */
package dev.weft.zoo.train;
