using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace FaceService.Gallery.Sqlite;

/// <summary>
/// The embedded default gallery: one SQLite file in WAL mode (readers never block the writer), one transaction per
/// write, embeddings as little-endian float32 BLOBs, already L2-normalised.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS subjects (
            subject_id TEXT NOT NULL PRIMARY KEY,
            metadata   TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS faces (
            face_id    TEXT NOT NULL PRIMARY KEY,
            subject_id TEXT NOT NULL REFERENCES subjects (subject_id) ON DELETE CASCADE,
            model_id   TEXT NOT NULL,
            dimension  INTEGER NOT NULL,
            embedding  BLOB NOT NULL,
            source     TEXT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS faces_by_subject ON faces (subject_id);
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _clock;

    public SqliteGalleryStore(string databasePath, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        _clock = clock ?? TimeProvider.System;
    }

    public string DatabasePath { get; }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM subjects LIMIT 1";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task AddFacesAsync(IReadOnlyList<SubjectFaces> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = _clock.GetUtcNow().ToString("O");

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO subjects (subject_id, metadata, created_at, updated_at) VALUES ($subject, $metadata, $now, $now)
            ON CONFLICT (subject_id) DO UPDATE SET metadata = excluded.metadata, updated_at = excluded.updated_at
            """;
        var upsertSubject = upsert.Parameters.Add("$subject", SqliteType.Text);
        var upsertMetadata = upsert.Parameters.Add("$metadata", SqliteType.Text);
        upsert.Parameters.AddWithValue("$now", now);

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO faces (face_id, subject_id, model_id, dimension, embedding, source, created_at)
            VALUES ($face, $subject, $model, $dimension, $embedding, $source, $now)
            """;
        var face = insert.Parameters.Add("$face", SqliteType.Text);
        var subject = insert.Parameters.Add("$subject", SqliteType.Text);
        var model = insert.Parameters.Add("$model", SqliteType.Text);
        var dimension = insert.Parameters.Add("$dimension", SqliteType.Integer);
        var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
        var source = insert.Parameters.Add("$source", SqliteType.Text);
        insert.Parameters.AddWithValue("$now", now);

        foreach (var entry in batch)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(entry.SubjectId);
            var merged = await ReadMetadataAsync(connection, transaction, entry.SubjectId, cancellationToken) ?? [];
            foreach (var (key, value) in entry.Metadata ?? new Dictionary<string, string>())
                merged[key] = value;
            upsertSubject.Value = entry.SubjectId;
            upsertMetadata.Value = JsonSerializer.Serialize(merged);
            await upsert.ExecuteNonQueryAsync(cancellationToken);

            foreach (var newFace in entry.Faces)
            {
                face.Value = newFace.FaceId.ToString();
                subject.Value = entry.SubjectId;
                model.Value = newFace.Embedding.ModelId;
                dimension.Value = newFace.Embedding.Dimension;
                embedding.Value = MemoryMarshal.AsBytes(newFace.Embedding.Vector.AsSpan()).ToArray();
                source.Value = (object?)newFace.Source ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Page<SubjectSummary>> ListSubjectsAsync(int pageIndex, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        long total;
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT count(*) FROM subjects";
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var items = new List<SubjectSummary>();
        await using (var page = connection.CreateCommand())
        {
            page.Transaction = transaction;
            page.CommandText = """
                SELECT s.subject_id, s.metadata, s.created_at, (SELECT count(*) FROM faces f WHERE f.subject_id = s.subject_id)
                FROM subjects s ORDER BY s.subject_id LIMIT $limit OFFSET $offset
                """;
            page.Parameters.AddWithValue("$limit", pageSize);
            page.Parameters.AddWithValue("$offset", (long)pageIndex * pageSize);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                items.Add(new SubjectSummary(reader.GetString(0), ParseMetadata(reader.GetString(1)),
                    reader.GetInt32(3), DateTimeOffset.Parse(reader.GetString(2))));
        }

        await transaction.CommitAsync(cancellationToken);
        return new Page<SubjectSummary>(pageIndex, pageSize, total, items);
    }

    public async Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        string metadata, createdAt, updatedAt;
        await using (var subject = connection.CreateCommand())
        {
            subject.Transaction = transaction;
            subject.CommandText = "SELECT metadata, created_at, updated_at FROM subjects WHERE subject_id = $id";
            subject.Parameters.AddWithValue("$id", subjectId);
            await using var reader = await subject.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            (metadata, createdAt, updatedAt) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        var faces = new List<FaceInfo>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT face_id, model_id, source, created_at FROM faces WHERE subject_id = $id ORDER BY created_at, face_id";
            command.Parameters.AddWithValue("$id", subjectId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                faces.Add(new FaceInfo(Guid.Parse(reader.GetString(0)), reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), DateTimeOffset.Parse(reader.GetString(3))));
        }

        await transaction.CommitAsync(cancellationToken);
        return new Subject(subjectId, ParseMetadata(metadata), DateTimeOffset.Parse(createdAt), DateTimeOffset.Parse(updatedAt), faces);
    }

    public async Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM subjects WHERE subject_id = $subject",
            subjectId, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<FaceDeletion> DeleteFaceAsync(string subjectId, Guid faceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction,
            "DELETE FROM faces WHERE subject_id = $subject AND face_id = $face", subjectId, faceId, cancellationToken);
        if (deleted == 0)
            return FaceDeletion.NotFound;
        var subjectDeleted = await ExecuteAsync(connection, transaction,
            "DELETE FROM subjects WHERE subject_id = $subject AND NOT EXISTS (SELECT 1 FROM faces WHERE subject_id = $subject)",
            subjectId, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return subjectDeleted > 0 ? FaceDeletion.DeletedWithSubject : FaceDeletion.Deleted;
    }

    public async IAsyncEnumerable<StoredFace> LoadAllFacesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT face_id, subject_id, model_id, dimension, embedding, source, created_at FROM faces ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bytes = (byte[])reader.GetValue(4);
            var dimension = reader.GetInt32(3);
            if (bytes.Length != dimension * sizeof(float))
                throw new InvalidDataException($"Face {reader.GetString(0)} in {DatabasePath} has a {bytes.Length}-byte embedding; {dimension} float32 values need {dimension * sizeof(float)}.");
            var vector = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            yield return new StoredFace(Guid.Parse(reader.GetString(0)), reader.GetString(1),
                ModelEmbedding.FromStored(reader.GetString(2), vector),
                reader.IsDBNull(5) ? null : reader.GetString(5), DateTimeOffset.Parse(reader.GetString(6)));
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<Dictionary<string, string>?> ReadMetadataAsync(SqliteConnection connection,
        SqliteTransaction transaction, string subjectId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT metadata FROM subjects WHERE subject_id = $id";
        command.Parameters.AddWithValue("$id", subjectId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? ParseMetadata(json) : null;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql,
        string subjectId, Guid? faceId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$subject", subjectId);
        if (faceId is { } id)
            command.Parameters.AddWithValue("$face", id.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Dictionary<string, string> ParseMetadata(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
