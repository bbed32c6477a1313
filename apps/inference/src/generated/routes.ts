/* tslint:disable */
/* eslint-disable */
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import type { TsoaRoute } from '@tsoa/runtime';
import {  fetchMiddlewares, ExpressTemplateService } from '@tsoa/runtime';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { TfServingController } from './../controllers/tf-serving-controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { PredictionController } from './../controllers/prediction-controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { OperationsController } from './../controllers/operations-controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { OpenInferenceController } from './../controllers/open-inference-controller';
import { iocContainer } from './../ioc';
import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { Request as ExRequest, Response as ExResponse, RequestHandler, Router } from 'express';
const multer = require('multer');




// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

const models: TsoaRoute.Models = {
    "ModelVersionStatus": {
        "dataType": "refObject",
        "properties": {
            "version": {"dataType":"string","required":true},
            "state": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["AVAILABLE"]},{"dataType":"enum","enums":["LOADING"]}],"required":true},
            "status": {"dataType":"nestedObjectLiteral","nestedProperties":{"error_message":{"dataType":"string","required":true},"error_code":{"dataType":"string","required":true}},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ModelStatus": {
        "dataType": "refObject",
        "properties": {
            "model_version_status": {"dataType":"array","array":{"dataType":"refObject","ref":"ModelVersionStatus"},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "TfServingError": {
        "dataType": "refObject",
        "properties": {
            "error": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "TensorInfo": {
        "dataType": "refObject",
        "properties": {
            "dtype": {"dataType":"string","required":true},
            "tensor_shape": {"dataType":"nestedObjectLiteral","nestedProperties":{"unknown_rank":{"dataType":"boolean","required":true},"dim":{"dataType":"array","array":{"dataType":"nestedObjectLiteral","nestedProperties":{"name":{"dataType":"string","required":true},"size":{"dataType":"string","required":true}}},"required":true}},"required":true},
            "name": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Record_string.TensorInfo_": {
        "dataType": "refAlias",
        "type": {"dataType":"nestedObjectLiteral","nestedProperties":{},"additionalProperties":{"ref":"TensorInfo"},"validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "SignatureDef": {
        "dataType": "refObject",
        "properties": {
            "inputs": {"ref":"Record_string.TensorInfo_","required":true},
            "outputs": {"ref":"Record_string.TensorInfo_","required":true},
            "method_name": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Record_string.SignatureDef_": {
        "dataType": "refAlias",
        "type": {"dataType":"nestedObjectLiteral","nestedProperties":{},"additionalProperties":{"ref":"SignatureDef"},"validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ModelMetadataResponse": {
        "dataType": "refObject",
        "properties": {
            "model_spec": {"dataType":"nestedObjectLiteral","nestedProperties":{"version":{"dataType":"string","required":true},"signature_name":{"dataType":"string","required":true},"name":{"dataType":"string","required":true}},"required":true},
            "metadata": {"dataType":"nestedObjectLiteral","nestedProperties":{"signature_def":{"dataType":"nestedObjectLiteral","nestedProperties":{"signature_def":{"ref":"Record_string.SignatureDef_","required":true}},"required":true}},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "PredictResponse": {
        "dataType": "refObject",
        "properties": {
            "predictions": {"dataType":"array","array":{"dataType":"nestedObjectLiteral","nestedProperties":{"digit":{"dataType":"double","required":true},"probabilities":{"dataType":"array","array":{"dataType":"double"},"required":true}}}},
            "outputs": {"dataType":"nestedObjectLiteral","nestedProperties":{"digit":{"dataType":"array","array":{"dataType":"double"},"required":true},"probabilities":{"dataType":"array","array":{"dataType":"array","array":{"dataType":"double"}},"required":true}}},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "PredictRequest": {
        "dataType": "refObject",
        "properties": {
            "signature_name": {"dataType":"enum","enums":["serving_default"]},
            "instances": {"dataType":"array","array":{"dataType":"any"},"validators":{"minItems":{"value":1}}},
            "inputs": {"dataType":"any"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ModelRef": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "version": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Prediction": {
        "dataType": "refObject",
        "properties": {
            "prediction": {"dataType":"double","required":true},
            "confidence": {"dataType":"double","required":true},
            "probabilities": {"dataType":"array","array":{"dataType":"double"},"required":true},
            "model": {"ref":"ModelRef","required":true},
            "input": {"dataType":"string"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ErrorDetail": {
        "dataType": "refObject",
        "properties": {
            "code": {"dataType":"string","required":true},
            "message": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ErrorResponse": {
        "dataType": "refObject",
        "properties": {
            "error": {"ref":"ErrorDetail","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "IncludeOption": {
        "dataType": "refAlias",
        "type": {"dataType":"enum","enums":["input"],"validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "BatchPrediction": {
        "dataType": "refObject",
        "properties": {
            "predictions": {"dataType":"array","array":{"dataType":"refObject","ref":"Prediction"},"required":true},
            "model": {"ref":"ModelRef","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "HealthStatus": {
        "dataType": "refObject",
        "properties": {
            "status": {"dataType":"enum","enums":["ok"],"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ReadinessStatus": {
        "dataType": "refObject",
        "properties": {
            "status": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["ready"]},{"dataType":"enum","enums":["loading"]},{"dataType":"enum","enums":["draining"]}],"required":true},
            "model": {"ref":"ModelRef"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ModelInfo": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "version": {"dataType":"string","required":true},
            "uri": {"dataType":"string","required":true},
            "source": {"dataType":"string","required":true},
            "inputShape": {"dataType":"array","array":{"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}]},"required":true},
            "loadedAt": {"dataType":"string","required":true},
            "backend": {"dataType":"string","required":true},
            "engine": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ServerMetadata": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "version": {"dataType":"string","required":true},
            "extensions": {"dataType":"array","array":{"dataType":"string"},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ServerLive": {
        "dataType": "refObject",
        "properties": {
            "live": {"dataType":"boolean","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ServerReady": {
        "dataType": "refObject",
        "properties": {
            "ready": {"dataType":"boolean","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ModelReady": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "ready": {"dataType":"boolean","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "InferenceError": {
        "dataType": "refObject",
        "properties": {
            "error": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "TensorDatatype": {
        "dataType": "refAlias",
        "type": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["FP32"]},{"dataType":"enum","enums":["FP64"]},{"dataType":"enum","enums":["UINT8"]},{"dataType":"enum","enums":["INT64"]},{"dataType":"enum","enums":["BYTES"]}],"validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "Dimension": {
        "dataType": "refAlias",
        "type": {"dataType":"integer","validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "InferenceParameters": {
        "dataType": "refObject",
        "properties": {
        },
        "additionalProperties": {"dataType":"union","subSchemas":[{"dataType":"string"},{"dataType":"double"},{"dataType":"boolean"}]},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "TensorMetadata": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "datatype": {"ref":"TensorDatatype","required":true},
            "shape": {"dataType":"array","array":{"dataType":"refAlias","ref":"Dimension"},"required":true},
            "parameters": {"ref":"InferenceParameters"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ModelMetadata": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "versions": {"dataType":"array","array":{"dataType":"string"},"required":true},
            "platform": {"dataType":"string","required":true},
            "inputs": {"dataType":"array","array":{"dataType":"refObject","ref":"TensorMetadata"},"required":true},
            "outputs": {"dataType":"array","array":{"dataType":"refObject","ref":"TensorMetadata"},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ResponseOutput": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"string","required":true},
            "shape": {"dataType":"array","array":{"dataType":"refAlias","ref":"Dimension"},"required":true},
            "datatype": {"ref":"TensorDatatype","required":true},
            "parameters": {"ref":"InferenceParameters"},
            "data": {"dataType":"array","array":{"dataType":"double"}},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "InferenceResponse": {
        "dataType": "refObject",
        "properties": {
            "model_name": {"dataType":"string","required":true},
            "model_version": {"dataType":"string","required":true},
            "id": {"dataType":"string"},
            "outputs": {"dataType":"array","array":{"dataType":"refObject","ref":"ResponseOutput"},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "RequestInput": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"enum","enums":["input"],"required":true},
            "shape": {"dataType":"array","array":{"dataType":"refAlias","ref":"Dimension"},"required":true,"validators":{"minItems":{"value":1},"maxItems":{"value":4}}},
            "datatype": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["FP32"]},{"dataType":"enum","enums":["FP64"]},{"dataType":"enum","enums":["UINT8"]},{"dataType":"enum","enums":["BYTES"]}],"required":true},
            "parameters": {"ref":"InferenceParameters"},
            "data": {"dataType":"any"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "RequestOutput": {
        "dataType": "refObject",
        "properties": {
            "name": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["probabilities"]},{"dataType":"enum","enums":["digit"]}],"required":true},
            "parameters": {"ref":"InferenceParameters"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "InferenceRequest": {
        "dataType": "refObject",
        "properties": {
            "id": {"dataType":"string"},
            "model_name": {"dataType":"string"},
            "model_version": {"dataType":"string"},
            "parameters": {"ref":"InferenceParameters"},
            "inputs": {"dataType":"array","array":{"dataType":"refObject","ref":"RequestInput"},"required":true,"validators":{"minItems":{"value":1},"maxItems":{"value":1}}},
            "outputs": {"dataType":"array","array":{"dataType":"refObject","ref":"RequestOutput"},"validators":{"maxItems":{"value":2}}},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
};
const templateService = new ExpressTemplateService(models, {"noImplicitAdditionalProperties":"throw-on-extras","bodyCoercion":true});

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa




export function RegisterRoutes(app: Router,opts?:{multer?:ReturnType<typeof multer>}) {

    // ###########################################################################################################
    //  NOTE: If you do not see routes for all of your controllers in this file, then you might not have informed tsoa of where to look
    //      Please look into the "controllerPathGlobs" config option described in the readme: https://github.com/lukeautry/tsoa
    // ###########################################################################################################

    const upload = opts?.multer ||  multer({"limits":{"fileSize":8388608}});

    
        const argsTfServingController_status: Record<string, TsoaRoute.ParameterSchema> = {
                model: {"in":"path","name":"model","required":true,"dataType":"string"},
        };
        app.get('/v1/models/:model',
            ...(fetchMiddlewares<RequestHandler>(TfServingController)),
            ...(fetchMiddlewares<RequestHandler>(TfServingController.prototype.status)),

            async function TfServingController_status(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTfServingController_status, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TfServingController>(TfServingController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'status',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTfServingController_versionStatus: Record<string, TsoaRoute.ParameterSchema> = {
                model: {"in":"path","name":"model","required":true,"dataType":"string"},
                version: {"in":"path","name":"version","required":true,"dataType":"string"},
        };
        app.get('/v1/models/:model/versions/:version',
            ...(fetchMiddlewares<RequestHandler>(TfServingController)),
            ...(fetchMiddlewares<RequestHandler>(TfServingController.prototype.versionStatus)),

            async function TfServingController_versionStatus(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTfServingController_versionStatus, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TfServingController>(TfServingController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'versionStatus',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTfServingController_metadata: Record<string, TsoaRoute.ParameterSchema> = {
                model: {"in":"path","name":"model","required":true,"dataType":"string"},
        };
        app.get('/v1/models/:model/metadata',
            ...(fetchMiddlewares<RequestHandler>(TfServingController)),
            ...(fetchMiddlewares<RequestHandler>(TfServingController.prototype.metadata)),

            async function TfServingController_metadata(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTfServingController_metadata, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TfServingController>(TfServingController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'metadata',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTfServingController_versionMetadata: Record<string, TsoaRoute.ParameterSchema> = {
                model: {"in":"path","name":"model","required":true,"dataType":"string"},
                version: {"in":"path","name":"version","required":true,"dataType":"string"},
        };
        app.get('/v1/models/:model/versions/:version/metadata',
            ...(fetchMiddlewares<RequestHandler>(TfServingController)),
            ...(fetchMiddlewares<RequestHandler>(TfServingController.prototype.versionMetadata)),

            async function TfServingController_versionMetadata(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTfServingController_versionMetadata, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TfServingController>(TfServingController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'versionMetadata',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTfServingController_predict: Record<string, TsoaRoute.ParameterSchema> = {
                model: {"in":"path","name":"model","required":true,"dataType":"string"},
                body: {"in":"body","name":"body","required":true,"ref":"PredictRequest"},
                request: {"in":"request","name":"request","required":true,"dataType":"object"},
        };
        app.post('/v1/models/:model',
            ...(fetchMiddlewares<RequestHandler>(TfServingController)),
            ...(fetchMiddlewares<RequestHandler>(TfServingController.prototype.predict)),

            async function TfServingController_predict(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTfServingController_predict, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TfServingController>(TfServingController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'predict',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsTfServingController_predictVersion: Record<string, TsoaRoute.ParameterSchema> = {
                model: {"in":"path","name":"model","required":true,"dataType":"string"},
                version: {"in":"path","name":"version","required":true,"dataType":"string"},
                body: {"in":"body","name":"body","required":true,"ref":"PredictRequest"},
                request: {"in":"request","name":"request","required":true,"dataType":"object"},
        };
        app.post('/v1/models/:model/versions/:version',
            ...(fetchMiddlewares<RequestHandler>(TfServingController)),
            ...(fetchMiddlewares<RequestHandler>(TfServingController.prototype.predictVersion)),

            async function TfServingController_predictVersion(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsTfServingController_predictVersion, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<TfServingController>(TfServingController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'predictVersion',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsPredictionController_predict: Record<string, TsoaRoute.ParameterSchema> = {
                input: {"in":"formData","name":"input","required":true,"dataType":"file"},
                request: {"in":"request","name":"request","required":true,"dataType":"object"},
                include: {"in":"query","name":"include","ref":"IncludeOption"},
        };
        app.post('/predict',
            upload.fields([
                {
                    name: "input",
                    maxCount: 1
                }
            ]),
            ...(fetchMiddlewares<RequestHandler>(PredictionController)),
            ...(fetchMiddlewares<RequestHandler>(PredictionController.prototype.predict)),

            async function PredictionController_predict(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsPredictionController_predict, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<PredictionController>(PredictionController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'predict',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsPredictionController_predictBatch: Record<string, TsoaRoute.ParameterSchema> = {
                input: {"in":"formData","name":"input","required":true,"dataType":"array","array":{"dataType":"file"}},
                request: {"in":"request","name":"request","required":true,"dataType":"object"},
                include: {"in":"query","name":"include","ref":"IncludeOption"},
        };
        app.post('/predict/batch',
            upload.fields([
                {
                    name: "input",
                }
            ]),
            ...(fetchMiddlewares<RequestHandler>(PredictionController)),
            ...(fetchMiddlewares<RequestHandler>(PredictionController.prototype.predictBatch)),

            async function PredictionController_predictBatch(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsPredictionController_predictBatch, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<PredictionController>(PredictionController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'predictBatch',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOperationsController_healthz: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/healthz',
            ...(fetchMiddlewares<RequestHandler>(OperationsController)),
            ...(fetchMiddlewares<RequestHandler>(OperationsController.prototype.healthz)),

            async function OperationsController_healthz(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOperationsController_healthz, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OperationsController>(OperationsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'healthz',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOperationsController_readyz: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/readyz',
            ...(fetchMiddlewares<RequestHandler>(OperationsController)),
            ...(fetchMiddlewares<RequestHandler>(OperationsController.prototype.readyz)),

            async function OperationsController_readyz(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOperationsController_readyz, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OperationsController>(OperationsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'readyz',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOperationsController_model: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/model',
            ...(fetchMiddlewares<RequestHandler>(OperationsController)),
            ...(fetchMiddlewares<RequestHandler>(OperationsController.prototype.model)),

            async function OperationsController_model(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOperationsController_model, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OperationsController>(OperationsController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'model',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_server: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/v2',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.server)),

            async function OpenInferenceController_server(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_server, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'server',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_live: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/v2/health/live',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.live)),

            async function OpenInferenceController_live(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_live, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'live',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_ready: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/v2/health/ready',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.ready)),

            async function OpenInferenceController_ready(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_ready, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'ready',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_modelReady: Record<string, TsoaRoute.ParameterSchema> = {
                name: {"in":"path","name":"name","required":true,"dataType":"string"},
        };
        app.get('/v2/models/:name/ready',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.modelReady)),

            async function OpenInferenceController_modelReady(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_modelReady, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'modelReady',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_versionReady: Record<string, TsoaRoute.ParameterSchema> = {
                name: {"in":"path","name":"name","required":true,"dataType":"string"},
                version: {"in":"path","name":"version","required":true,"dataType":"string"},
        };
        app.get('/v2/models/:name/versions/:version/ready',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.versionReady)),

            async function OpenInferenceController_versionReady(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_versionReady, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'versionReady',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_model: Record<string, TsoaRoute.ParameterSchema> = {
                name: {"in":"path","name":"name","required":true,"dataType":"string"},
        };
        app.get('/v2/models/:name',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.model)),

            async function OpenInferenceController_model(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_model, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'model',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_version: Record<string, TsoaRoute.ParameterSchema> = {
                name: {"in":"path","name":"name","required":true,"dataType":"string"},
                version: {"in":"path","name":"version","required":true,"dataType":"string"},
        };
        app.get('/v2/models/:name/versions/:version',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.version)),

            async function OpenInferenceController_version(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_version, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'version',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_infer: Record<string, TsoaRoute.ParameterSchema> = {
                name: {"in":"path","name":"name","required":true,"dataType":"string"},
                body: {"in":"body","name":"body","required":true,"ref":"InferenceRequest"},
                request: {"in":"request","name":"request","required":true,"dataType":"object"},
        };
        app.post('/v2/models/:name/infer',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.infer)),

            async function OpenInferenceController_infer(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_infer, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'infer',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsOpenInferenceController_inferVersion: Record<string, TsoaRoute.ParameterSchema> = {
                name: {"in":"path","name":"name","required":true,"dataType":"string"},
                version: {"in":"path","name":"version","required":true,"dataType":"string"},
                body: {"in":"body","name":"body","required":true,"ref":"InferenceRequest"},
                request: {"in":"request","name":"request","required":true,"dataType":"object"},
        };
        app.post('/v2/models/:name/versions/:version/infer',
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController)),
            ...(fetchMiddlewares<RequestHandler>(OpenInferenceController.prototype.inferVersion)),

            async function OpenInferenceController_inferVersion(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsOpenInferenceController_inferVersion, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<OpenInferenceController>(OpenInferenceController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'inferVersion',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa


    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
}

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
