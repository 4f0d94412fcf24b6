using FaceService.Api.Problems;

namespace FaceService.Api.Faces;

/// <summary>
/// A request the service cannot serve because of what was sent (a missing, empty or undecodable image...).
/// The exception handler turns it into the ProblemDetails of <see cref="Kind"/>; bulk enrolment reports it per file.
/// </summary>
public sealed class FaceRequestException(ProblemKind kind, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public ProblemKind Kind { get; } = kind;
}
