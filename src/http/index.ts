export {
  executeHttpRequest,
  type HttpRequest,
  HttpRequestError,
  type HttpRequestErrorKind,
  type HttpResponse,
} from './http-request.js';
