namespace FaceService.Gallery.QuantizedScan;

/// <summary>
/// The rows with the highest approximate scores seen so far, at most <c>capacity</c>: a min-heap whose smallest
/// score is the bar a new row must clear. Once full, the bar only rises, so the scan offers fewer and fewer rows.
/// </summary>
internal sealed class CandidateHeap(int capacity)
{
    private readonly PriorityQueue<int, int> _rows = new(capacity + 1);

    /// <summary>A row scoring at or below this cannot enter; <see cref="int.MinValue"/> until the heap is full.</summary>
    public int Threshold { get; private set; } = int.MinValue;

    public IEnumerable<(int Row, int Score)> Rows => _rows.UnorderedItems.Select(item => (item.Element, item.Priority));

    public void Offer(int row, int score)
    {
        if (score <= Threshold)
            return;
        if (_rows.Count < capacity)
            _rows.Enqueue(row, score);
        else
            _rows.DequeueEnqueue(row, score);
        if (_rows.Count == capacity && _rows.TryPeek(out _, out var lowest))
            Threshold = lowest;
    }
}
