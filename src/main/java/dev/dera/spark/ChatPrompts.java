package dev.dera.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.dera.lm.ChatTemplate;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.ModelConfigException;
import dev.dera.lm.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Driver side: rows whose prompt is a conversation ({@code messages}) get the text their chat template renders in
 * {@code prompt}, which is what the executors decode (encoded without adding special tokens again) and what the
 * output keeps. A malformed conversation becomes the row's input_error. Before any task, the reference's and the
 * aligned model's templates must render a probe conversation to the same token ids.
 */
final class ChatPrompts {
    private static final List<ChatTemplate.Message> PROBE = List.of(new ChatTemplate.Message("user", "Hello"));
    private static final StructType RENDERED = new StructType()
            .add(Schemas.PROMPT, DataTypes.StringType)
            .add(PartitionDecoder.INPUT_ERROR, DataTypes.StringType);

    private ChatPrompts() {}

    /**
     * Renders the messages of {@code prompts} (columns prompt_id, prompt, messages, input_error), or returns them
     * unchanged when no row has messages.
     */
    static Dataset<Row> render(Dataset<Row> prompts, JobConfig config, Map<String, String> hadoopConf) {
        Optional<ChatTemplate> template;
        try {
            template = Optional.of(template(config, hadoopConf));
        } catch (ModelConfigException noTemplate) {
            if (prompts.filter(col(Schemas.MESSAGES).isNotNull()).limit(1).count() > 0) {
                throw noTemplate;
            }
            template = Optional.empty();
        }
        if (template.isEmpty()) {
            return prompts;
        }
        ChatTemplate chat = template.get();
        UserDefinedFunction renderRow = udf((UDF2<String, Seq<Row>, Row>) (prompt, messages) ->
                renderRow(chat, prompt, messages), RENDERED);
        Dataset<Row> rendered = prompts.withColumn("_rendered", renderRow.apply(col(Schemas.PROMPT),
                col(Schemas.MESSAGES)));
        return rendered.select(col(Schemas.PROMPT_ID), col("_rendered." + Schemas.PROMPT).as(Schemas.PROMPT),
                col(Schemas.MESSAGES), coalesce(col(PartitionDecoder.INPUT_ERROR),
                        col("_rendered." + PartitionDecoder.INPUT_ERROR)).as(PartitionDecoder.INPUT_ERROR));
    }

    /** The reference's template (or the configured file), checked to render the same ids as the aligned one's. */
    static ChatTemplate template(JobConfig config, Map<String, String> hadoopConf) {
        Path reference = ModelFiles.localizeMetadata(config.refModel(), hadoopConf);
        Path aligned = ModelFiles.localizeMetadata(config.alignedModel(), hadoopConf);
        ChatTemplate referenceTemplate = ChatTemplate.load(reference, config.chatTemplateFile());
        ChatTemplate alignedTemplate = ChatTemplate.load(aligned, config.chatTemplateFile());
        int[] referenceIds = probeIds(referenceTemplate, reference);
        int[] alignedIds = probeIds(alignedTemplate, aligned);
        if (!Arrays.equals(referenceIds, alignedIds)) {
            throw new ModelConfigException("the reference (" + reference + ") and aligned (" + aligned + ") chat"
                    + " templates render a conversation to different token ids (" + Arrays.toString(referenceIds)
                    + " vs " + Arrays.toString(alignedIds) + "); DeRa needs both models to see the same prompt: give"
                    + " one template with --chat-template (prompt.chat_template)");
        }
        return referenceTemplate;
    }

    private static int[] probeIds(ChatTemplate template, Path modelDir) {
        String text;
        try {
            text = template.render(PROBE);
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException("the chat template of " + modelDir + " cannot render a one-message"
                    + " conversation: " + e.getMessage());
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir, GenerationConfig.load(modelDir))) {
            return tokenizer.encodeRendered(text);
        }
    }

    /** (prompt, input_error) of one row: its prompt text, or its conversation rendered, or why it has neither. */
    private static Row renderRow(ChatTemplate template, String prompt, Seq<Row> messages) {
        if (messages == null) {
            return RowFactory.create(prompt, prompt == null ? "row has neither prompt nor messages" : null);
        }
        if (prompt != null) {
            return RowFactory.create(prompt, "row has both prompt and messages; give exactly one");
        }
        List<ChatTemplate.Message> conversation = new ArrayList<>();
        scala.collection.Iterator<Row> rows = messages.iterator();
        while (rows.hasNext()) {
            Row message = rows.next();
            conversation.add(message == null ? null
                    : new ChatTemplate.Message(message.getAs("role"), message.getAs("content")));
        }
        try {
            return RowFactory.create(template.render(conversation), null);
        } catch (IllegalArgumentException e) {
            return RowFactory.create(null, e.getMessage());
        }
    }
}
