package dev.dera.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.dera.lm.ChatTemplate;
import dev.dera.lm.ModelConfigException;
import dev.dera.lm.PairedChatTemplate;
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
 * aligned model's templates must render the same token ids ({@link PairedChatTemplate}).
 */
final class ChatPrompts {
    private static final StructType RENDERED = new StructType()
            .add(Schemas.PROMPT, DataTypes.StringType)
            .add(PartitionDecoder.INPUT_ERROR, DataTypes.StringType);
    private static final String RENDERED_COLUMN = "_rendered";

    private ChatPrompts() {}

    /**
     * Renders the messages of {@code prompts} (columns prompt_id, prompt, messages, input_error and any carried
     * ones, which stay as they are), or returns them unchanged when they have no messages column.
     */
    static Dataset<Row> render(Dataset<Row> prompts, JobConfig config, Map<String, String> hadoopConf) {
        if (!Arrays.asList(prompts.columns()).contains(Schemas.MESSAGES)) {
            return prompts;
        }
        Optional<ChatTemplate> template;
        try {
            template = Optional.of(PairedChatTemplate.load(ModelFiles.localizeHeaders(config.refModel(), hadoopConf),
                    ModelFiles.localizeHeaders(config.alignedModel(), hadoopConf), config.chatTemplateFile()));
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
        return prompts.withColumn(RENDERED_COLUMN, renderRow.apply(col(Schemas.PROMPT), col(Schemas.MESSAGES)))
                .withColumn(Schemas.PROMPT, col(RENDERED_COLUMN + "." + Schemas.PROMPT))
                .withColumn(PartitionDecoder.INPUT_ERROR, coalesce(col(PartitionDecoder.INPUT_ERROR),
                        col(RENDERED_COLUMN + "." + PartitionDecoder.INPUT_ERROR)))
                .drop(RENDERED_COLUMN);
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
