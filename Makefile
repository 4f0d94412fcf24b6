# The two commands a new user needs are `make run` and `make test`; see README.md.
FACETRAIN = dotnet run --project src/FaceService.Training -c Release --

.PHONY: run test models

## models: fetch @vladmandic/face-api with npm, check pinned SHA-256s, convert the nets to ONNX (cached, idempotent)
models:
	$(FACETRAIN) models

## run: the service on http://localhost:5080 with the embedded SQLite gallery (Swagger UI at /swagger)
run: models
	dotnet run --project src/FaceService.Api -c Release

## test: every test in the solution
test: models
	dotnet test FaceService.sln -c Release --blame
