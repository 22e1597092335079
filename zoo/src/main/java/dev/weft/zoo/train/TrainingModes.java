package dev.weft.zoo.train;

import dev.weft.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * Switches a model between training and inference mode without undoing the modes the user chose
 * for its sublayers.
 *
 * <p>{@link Module#train()} and {@link Module#eval()} set a module <em>and all its descendants</em>,
 * like PyTorch's. Calling {@code model.train()} before every step, as a plain loop does, would
 * therefore switch a sublayer the user froze on purpose ({@code bn.eval()} on a BatchNormalization
 * whose moving statistics must stay) back to training, which is the classic PyTorch fine-tuning
 * trap. Weft's training loops ({@link Trainer#fit}, {@link Trainer#trainOnBatch}, {@link RawLoop#step})
 * use {@link #enterTraining} instead:
 *
 * <ul>
 *   <li>the model itself goes to training mode;</li>
 *   <li>a sublayer whose mode differs from its parent's keeps its mode — it was singled out by the
 *       user, so a frozen BatchNormalization runs on its moving statistics and leaves them alone
 *       (its gamma and beta still train unless the optimizer was built without them, as in
 *       PyTorch);</li>
 *   <li>a sublayer in the same mode as its parent follows it: a model wholly in inference mode (say,
 *       after the user's own predictions) trains whole.</li>
 * </ul>
 *
 * {@link Trainer#evaluate} and {@link Trainer#predict} run everything in inference mode and then
 * {@link #restore} the modes exactly as they were, as does {@code fit} when it ends. (Keras reaches
 * the same end with {@code layer.trainable = False}, which makes a BatchNormalization run in
 * inference mode; Weft's layers have no such flag, the mode is the switch.)
 */
public final class TrainingModes {
    private final Module root;
    private final boolean rootTraining;
    /** Descendants whose mode differs from their parent's, parents first, with that mode. */
    private final List<Module> singled;
    private final List<Boolean> singledTraining;

    private TrainingModes(Module root) {
        this.root = root;
        this.rootTraining = root.isTraining();
        this.singled = new ArrayList<>();
        this.singledTraining = new ArrayList<>();
        collect(root);
    }

    private void collect(Module parent) {
        for (Module child : parent.children().values()) {
            if (child.isTraining() != parent.isTraining()) {
                singled.add(child);
                singledTraining.add(child.isTraining());
            }
            collect(child);
        }
    }

    /** The current modes of {@code module} and every descendant. */
    public static TrainingModes record(Module module) {
        if (module == null) throw new IllegalArgumentException("TrainingModes.record: module is null");
        return new TrainingModes(module);
    }

    /**
     * Puts {@code module} in training mode for a step, leaving the sublayers the user singled out
     * in their own mode (see the class comment).
     */
    public static void enterTraining(Module module) {
        if (module == null) throw new IllegalArgumentException("TrainingModes.enterTraining: module is null");
        new TrainingModes(module).apply(true);
    }

    /** Puts every recorded module back in the mode it had when recorded. */
    public void restore() { apply(rootTraining); }

    /** The root in {@code rootMode}, then each singled-out descendant in its own, parents first. */
    private void apply(boolean rootMode) {
        set(root, rootMode);
        for (int i = 0; i < singled.size(); i++) set(singled.get(i), singledTraining.get(i));
    }

    private static void set(Module m, boolean training) {
        if (training) m.train(); else m.eval();
    }
}
