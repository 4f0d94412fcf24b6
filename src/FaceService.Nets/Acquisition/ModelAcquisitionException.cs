namespace FaceService.Nets.Acquisition;

/// <summary>A failure of <c>facetrain models</c> with a message that tells the user what to do.</summary>
public sealed class ModelAcquisitionException(string message, Exception? inner = null) : Exception(message, inner);
