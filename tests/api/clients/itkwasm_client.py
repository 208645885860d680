"""Compares two small images with itkwasm-compare-images-wasi (SIMD, Memory.data_ptr)."""

import numpy as np
from itkwasm import Image, ImageType
from itkwasm_compare_images_wasi import compare_images


def image(data: "np.ndarray") -> Image:
    kind = ImageType(dimension=2, componentType="float64", pixelType="Scalar", components=1)
    return Image(imageType=kind, size=[8, 8], spacing=[1.0, 1.0], origin=[0.0, 0.0],
                 direction=np.eye(2), data=data)


test = np.arange(64, dtype=np.float64).reshape(8, 8)
baseline = test.copy()
baseline[2, 3] += 10
baseline[5, 5] -= 3
metrics, difference, rendered = compare_images(image(test), baseline_images=[image(baseline)],
                                               difference_threshold=1.0)
print(sorted(metrics.items()))
print(difference.data.tolist())
print(rendered.data.tolist())
