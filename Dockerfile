# FaceService: the HTTP service with its ONNX models, as a non-root container.
#   docker build -t faceservice .          (needs network for NuGet and npm)
#   docker compose up                      (see docker-compose.yml; the gallery lives in a named volume)
# Stages: build (publish the service) -> models (`facetrain models`: npm pack the pinned face-api package, check its
# SHA-256s, convert the nets to ONNX) -> runtime (ASP.NET runtime only, no SDK, no TorchSharp).

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY FaceService.sln Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/ src/
RUN dotnet publish src/FaceService.Api -c Release -o /app/publish

FROM build AS models
RUN apt-get update \
    && apt-get install -y --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
# The pinned hashes, the model cards (with their operating points) and the trained student come from the repository.
COPY models/face-api.sha256 models/*.json models/student-lowres-112-v3-int8.onnx models/student-lowres-112-v4-lr-int8.onnx models/
RUN dotnet run --project src/FaceService.Training -c Release -- models --models-dir /src/models

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build /app/publish ./
COPY --from=models /src/models/*.onnx /src/models/*.json ./models/
# The gallery's SQLite file (and its WAL) is the only thing the service writes; everything else stays read-only.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
ENV ASPNETCORE_ENVIRONMENT=Production \
    Urls=http://+:8080 \
    Gallery__DatabasePath=/app/data/gallery.db
EXPOSE 8080
VOLUME ["/app/data"]
# The runtime image has no curl; bash's /dev/tcp is enough to ask /health/ready for a 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["dotnet", "FaceService.Api.dll"]
